package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// Words is a message as the code made it: an English fmt format and its
// arguments. Stored beside the English text (an audit entry's detail, a
// source's last error), it lets a page say the message in its reader's
// language, while the API and the logs keep the English text.
type Words struct {
	Format string
	Args   []any
}

// NewWords keeps format and args when they survive a trip through JSON,
// the form they are stored in, giving the same text; otherwise (an
// argument of a type JSON does not bring back as it was) it returns the
// zero Words, and a page shows the English text as stored.
func NewWords(format string, args ...any) Words {
	w := Words{Format: format, Args: args}
	b, err := w.ArgsJSON()
	if err != nil {
		return Words{}
	}
	back, err := DecodeArgs(b)
	if err != nil || fmt.Sprintf(format, back...) != fmt.Sprintf(format, args...) {
		return Words{}
	}
	w.Args = back
	return w
}

// Text is the English message.
func (w Words) Text() string {
	if len(w.Args) == 0 {
		return w.Format
	}
	return fmt.Sprintf(w.Format, w.Args...)
}

// ArgsJSON is the arguments as a JSON array, for storage.
func (w Words) ArgsJSON() ([]byte, error) {
	if w.Args == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(w.Args)
}

// DecodeArgs reads arguments stored by ArgsJSON: numbers that are whole
// come back as int64 (so %d reads them), others as float64.
func DecodeArgs(b []byte) ([]any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var args []any
	if err := d.Decode(&args); err != nil {
		return nil, fmt.Errorf("decode message arguments: %w", err)
	}
	for i, a := range args {
		args[i] = plainNumbers(a)
	}
	return args, nil
}

// plainNumbers turns the json.Numbers in v into int64 or float64.
func plainNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil && !math.IsInf(f, 0) {
			return f
		}
		return x.String()
	case []any:
		for i := range x {
			x[i] = plainNumbers(x[i])
		}
	}
	return v
}
