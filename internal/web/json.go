package web

// JSON request bodies, decoded for the public and the admin API alike.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
	// The bytes are kept to check them: encoding/json turns any that are
	// not UTF-8 into U+FFFD, which would be stored in place of the
	// client's letters.
	var raw bytes.Buffer
	body := &countingReader{r: io.TeeReader(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody), &raw)}
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		return jsonError(err, ownErrorField(raw.Bytes(), reflect.TypeOf(v)), reflect.TypeOf(v), body.n)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			return errs.New(errs.TooLarge, "request body larger than %d bytes", maxJSONBody)
		}
		return errs.New(errs.Malformed, "body: not valid JSON (at byte %d): want one JSON object and nothing after it", dec.InputOffset())
	}
	if !utf8.Valid(raw.Bytes()) {
		return errs.New(errs.Malformed, "%s: not UTF-8 text; send JSON as UTF-8", nonUTF8Field(raw.Bytes()))
	}
	if name := unstorableJSON(reflect.ValueOf(v), "body"); name != "" {
		return errs.New(errs.Malformed, "%s: holds a NUL character, which no text here may", name)
	}
	if unknown, known := onlyUnknownFields(raw.Bytes(), reflect.TypeOf(v)); len(unknown) > 0 {
		return errs.New(errs.Malformed, "%s: unknown field (misspelt?); this call takes %s",
			strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return nil
}

// onlyUnknownFields returns the keys of a JSON object body when none of
// them is a field of t, with t's fields. Fields a call does not take are
// otherwise let through: a client may send back an object as it read it
// (an item with its id). But a body of nothing but such fields is most
// often misspelt, and left alone would quietly do the default: PATCH
// {"hiden": true} change nothing, {"published_form": …} make an edition
// of everything new.
func onlyUnknownFields(body []byte, t reflect.Type) (unknown, known []string) {
	fields, types := bodyFields(body, t)
	if len(fields) == 0 {
		return nil, nil
	}
	for _, f := range types {
		known = append(known, f.name)
	}
	for key := range fields {
		for _, k := range known {
			// encoding/json matches a key to a field case-insensitively.
			if strings.EqualFold(k, key) {
				return nil, nil
			}
		}
		unknown = append(unknown, key)
	}
	slices.Sort(unknown)
	return unknown, known
}

// namedField is a struct field by its JSON name.
type namedField struct {
	name string
	typ  reflect.Type
}

// bodyFields reads a JSON object body's top-level values by key, and the
// fields of t (a struct, or a pointer to one) by JSON name, those of its
// untagged embedded structs among them. Nothing when t is no struct or
// the body no object.
func bodyFields(body []byte, t reflect.Type) (map[string]json.RawMessage, []namedField) {
	if t = elem(t); t.Kind() != reflect.Struct {
		return nil, nil
	}
	var values map[string]json.RawMessage
	if json.Unmarshal(body, &values) != nil {
		return nil, nil
	}
	var fields []namedField
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			switch name := jsonName(f); {
			case f.Anonymous && name == "" && elem(f.Type).Kind() == reflect.Struct:
				walk(elem(f.Type))
			case f.IsExported() && name != "":
				fields = append(fields, namedField{name, f.Type})
			}
		}
	}
	walk(t)
	return values, fields
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
// how much of it was read, and own the field whose type's own reading
// refused its value (ownErrorField), if known.
func jsonError(err error, own string, t reflect.Type, size int64) error {
	var (
		tooLarge  *http.MaxBytesError
		syntax    *json.SyntaxError
		wrongType *json.UnmarshalTypeError
		ownErr    *errs.Error
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
	case errors.As(err, &ownErr):
		// A type's own UnmarshalJSON (a date, an id) says the problem;
		// encoding/json does not say where, so the field is named here.
		if own != "" && !strings.HasPrefix(ownErr.Message, own+":") {
			return errs.New(errs.Malformed, "%s: %s", own, ownErr.Message)
		}
		return errs.New(errs.Malformed, "%s", ownErr.Message)
	case errors.As(err, &badTime):
		return errs.New(errs.Malformed, "body: a time is not in the form 2006-01-02T15:04:05Z")
	case errors.As(err, &invalid):
		return err // a bug: decoding into something that is not a pointer
	}
	// Left: the errors of this module's own UnmarshalJSON methods, which
	// begin with the field's JSON name.
	return errs.New(errs.Malformed, "%s", err.Error())
}

// ownErrorField returns the top-level field of a JSON object body whose
// value its type's own UnmarshalJSON refuses: the one encoding/json
// stopped at, as it reports no field for such errors. "" when there is
// none (or the body is not an object).
func ownErrorField(body []byte, t reflect.Type) string {
	values, fields := bodyFields(body, t)
	unmarshaler := reflect.TypeFor[json.Unmarshaler]()
	for _, f := range fields {
		value, ok := values[f.name]
		if !ok || !reflect.PointerTo(elem(f.typ)).Implements(unmarshaler) {
			continue
		}
		if reflect.New(elem(f.typ)).Interface().(json.Unmarshaler).UnmarshalJSON(value) != nil {
			return f.name
		}
	}
	return ""
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

// nonUTF8Field names the field whose string, in a well-formed JSON body,
// holds the first bytes that are not UTF-8: its keys from the top joined
// by dots, as the other errors name fields ("body" at the top level).
func nonUTF8Field(body []byte) string {
	bad := int64(0)
	for rest := body; len(rest) > 0; {
		r, n := utf8.DecodeRune(rest)
		if r == utf8.RuneError && n == 1 {
			break
		}
		rest, bad = rest[n:], bad+int64(n)
	}
	type frame struct {
		object, wantKey bool
		key             string
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "body"
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		key, isKey := tok.(string)
		isKey = isKey && top != nil && top.object && top.wantKey
		if dec.InputOffset() > bad { // this token holds the bad bytes
			frames := stack
			if isKey {
				frames = stack[:len(stack)-1] // the key itself is at fault: name its object
			}
			var names []string
			for _, f := range frames {
				if f.object && f.key != "" {
					names = append(names, f.key)
				}
			}
			if len(names) == 0 {
				return "body"
			}
			return strings.Join(names, ".")
		}
		switch {
		case isKey:
			top.key, top.wantKey = key, false
		case tok == json.Delim('{') || tok == json.Delim('['):
			if top != nil {
				top.wantKey = true
			}
			stack = append(stack, frame{object: tok == json.Delim('{'), wantKey: true})
		case tok == json.Delim('}') || tok == json.Delim(']'):
			stack = stack[:len(stack)-1]
		case top != nil:
			top.wantKey = true
		}
	}
}
