package digest

import (
	"encoding/json"
	"reflect"
	"testing"
)

// DecodeSections reads what encoding/json reads, the same way: sections
// as Go writes them and as PostgreSQL gives jsonb back, and anything
// else decided by encoding/json itself.
func TestDecodeSectionsAgreesWithEncodingJSON(t *testing.T) {
	written, err := json.Marshal([]Section{{Kind: KindCountry, Key: "MX", Items: []int64{3, 1, 2}}, {Kind: KindRegional, Key: "regional", Items: []int64{}}})
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{
		string(written),
		`[{"key": "MX", "kind": "country", "items": [12, 7, 9000000000]}, {"key": "health", "kind": "topic", "items": []}]`,
		"[ ]", "[]", ` [{"kind":"other","key":"other","items":[-1]}] `,
		`[{"kind":"country","key":"M\u0058","items":[1]}]`,               // an escape
		`[{"kind":"country","key":"MX","items":[1],"extra":true}]`,       // a field it does not know
		`[{"kind":"country","key":"MX"}]`,                                // a field missing
		`[{"kind":"country","kind":"topic","key":"MX","items":[1]}]`,     // a field twice
		`[{"kind":"country","key":"MX","items":[1.5]}]`,                  // not an integer
		`[{"kind":"country","key":"MX","items":[01]}]`,                   // not JSON
		`[{"kind":"country","key":"MX","items":[99999999999999999999]}]`, // too large
		`[{"kind":"country","key":"MX","items":[1,]}]`, `[{"kind":"country","key":"MX","items":[1]}`,
		`[{"kind":"country","key":"MX","items":[1]}] x`, `null`, ``, `{}`, `[1]`, `["a"]`,
		`[{"kind":"country","key":"MX","items":null}]`,
		`[{"kind":"country","key":"MX","items":[1],"fixed":true}]`,               // a reader who cannot drop MX
		`[{"key": "MX", "kind": "country", "fixed": true, "items": [1]}]`,        // the same from jsonb
		`[{"kind":"country","key":"MX","items":[1],"fixed":false}]`,              // as written by hand
		`[{"kind":"country","key":"MX","items":[1],"fixed":null}]`,               // null: left to encoding/json
		`[{"kind":"country","key":"MX","items":[1],"fixed":tru}]`,                // not JSON
		`[{"kind":"country","key":"MX","items":[1],"fixed":true,"fixed":false}]`, // a field twice
	}
	for _, in := range inputs {
		var want []Section
		wantErr := json.Unmarshal([]byte(in), &want)
		got, err := DecodeSections([]byte(in))
		if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, %v; encoding/json %#v, %v", in, got, err, want, wantErr)
		}
	}
}

func FuzzDecodeSections(f *testing.F) {
	f.Add(`[{"key": "MX", "kind": "country", "items": [12, 7]}]`)
	f.Add(`[{"kind":"topic","key":"a\"b","items":[-0,1]}]`)
	f.Add(`[{"key": "MX", "kind": "country", "fixed": true, "items": [12, 7]}]`)
	f.Fuzz(func(t *testing.T, in string) {
		var want []Section
		wantErr := json.Unmarshal([]byte(in), &want)
		got, err := DecodeSections([]byte(in))
		if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %#v, %v; encoding/json %#v, %v", in, got, err, want, wantErr)
		}
	})
}
