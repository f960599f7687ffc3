package web

// JSON request bodies, decoded for the public and the admin API alike.

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/errs"
)

// maxJSONBody bounds JSON request bodies.
const maxJSONBody = 1 << 20

// bindJSON decodes a bounded body holding one JSON value into v. Its
// errors name the field at fault in the API's words (the JSON names, what
// is expected) and never a Go type, as the public and the admin API both
// answer with them.
func bindJSON(c *gin.Context, v any) error {
	body := &countingReader{r: http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)}
	dec := json.NewDecoder(body)
	// A field the call does not know is most often a misspelt one, which
	// left out would quietly take its default (a whole edition for a typo
	// in published_from).
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, reflect.TypeOf(v), body.n)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			return errs.New(errs.TooLarge, "request body larger than %d bytes", maxJSONBody)
		}
		return errs.New(errs.Malformed, "body: not valid JSON (at byte %d): want one JSON object and nothing after it", dec.InputOffset())
	}
	if name := unstorableJSON(reflect.ValueOf(v), "body"); name != "" {
		return errs.New(errs.Malformed, "%s: holds a NUL character, which no text here may", name)
	}
	return nil
}

// countingReader counts the bytes read, to say where a body ended early.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// jsonError says what was wrong with a JSON body decoded into t; size is
// how much of it was read.
func jsonError(err error, t reflect.Type, size int64) error {
	var (
		tooLarge  *http.MaxBytesError
		syntax    *json.SyntaxError
		wrongType *json.UnmarshalTypeError
		own       *errs.Error
		badTime   *time.ParseError
		invalid   *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &tooLarge):
		return errs.New(errs.TooLarge, "request body larger than %d bytes", maxJSONBody)
	case errors.Is(err, io.EOF):
		return errs.New(errs.Malformed, "body: empty; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.New(errs.Malformed, "body: not valid JSON (it ends early, at byte %d)", size)
	case errors.As(err, &syntax):
		return errs.New(errs.Malformed, "body: not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &wrongType):
		if wrongType.Field == "" {
			return errs.New(errs.Malformed, "body: must be %s", expected("", t))
		}
		name, ft := jsonField(t, wrongType.Field)
		return errs.New(errs.Malformed, "%s: must be %s", name, expected(name, ft))
	case errors.As(err, &own):
		// A type's own UnmarshalJSON (a date, an id) names the problem.
		return errs.New(errs.Malformed, "%s", own.Message)
	case errors.As(err, &badTime):
		return errs.New(errs.Malformed, "body: a time is not in the form 2006-01-02T15:04:05Z")
	case errors.As(err, &invalid):
		return err // a bug: decoding into something that is not a pointer
	}
	// encoding/json says so in words only, `json: unknown field "name"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return errs.New(errs.Malformed, "%s: unknown field (misspelt?); this call does not take it", strings.Trim(name, `"`))
	}
	// Left: the errors of this module's own UnmarshalJSON methods, which
	// begin with the field's JSON name.
	return errs.New(errs.Malformed, "%s", err.Error())
}

// jsonField turns the path encoding/json reports ("Filter.countries":
// Go names for embedded structs) into the field's JSON name, and returns
// the field's type.
func jsonField(t reflect.Type, path string) (string, reflect.Type) {
	var names []string
	for _, seg := range strings.Split(path, ".") {
		t = elem(t)
		if t.Kind() != reflect.Struct {
			break
		}
		if f, ok := t.FieldByName(seg); ok && f.Anonymous && jsonName(f) == "" {
			t = f.Type // embedded: its fields are the outer object's
			continue
		}
		found := false
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && jsonName(f) == seg {
				names, t, found = append(names, seg), f.Type, true
				break
			}
		}
		if !found {
			names = append(names, seg)
			break
		}
	}
	if len(names) == 0 {
		return "body", t
	}
	return strings.Join(names, "."), t
}

// jsonName is a struct field's name in JSON; "" for an untagged embedded
// struct, whose fields are promoted, and for a field JSON leaves out.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch {
	case name == "-":
		return ""
	case name != "":
		return name
	case f.Anonymous:
		return ""
	}
	return f.Name
}

func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// listWords say what the taxonomy's lists hold.
var listWords = map[string]string{
	"countries": "a list of country codes",
	"regions":   "a list of region codes",
	"topics":    "a list of topic slugs",
}

// expected says in words what a field of type t holds.
func expected(name string, t reflect.Type) string {
	if w, ok := listWords[name[strings.LastIndexByte(name, '.')+1:]]; ok {
		return w
	}
	switch t = elem(t); t.Kind() {
	case reflect.String:
		return "text (a JSON string)"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		switch elem(t.Elem()).Kind() {
		case reflect.String:
			return "a list of strings"
		case reflect.Struct, reflect.Map:
			return "a list of JSON objects"
		}
		return "a list"
	}
	return "a JSON object"
}
