package web

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestNonUTF8FieldNamesTheField(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"{\"title\":\"Caf\xe9\"}", "title"},
		{"{\"title\":\"ok\",\"summary\":\"Ni\xf1o\"}", "summary"},
		{"{\"countries\":[\"MX\",\"C\xd3\"],\"topics\":[]}", "countries"},
		{"{\"a\":{\"b\":[1,{\"c\":\"x\"}],\"d\":\"\xff\"}}", "a.d"},
		{"{\"a\":{\"b\":{\"c\":1},\"d\":[\"\xff\"]}}", "a.d"},
		{"{\"a\":{\"t\xe9\":1}}", "a"},
		{"{\"t\xe9\":1}", "body"},
		{"\"\xff\"", "body"},
		{"[\"\xff\"]", "body"},
	} {
		if got := nonUTF8Field([]byte(tc.body)); got != tc.want {
			t.Errorf("nonUTF8Field(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// A date refused by its own reading is named by its field: an edition's
// body has two.
func TestOwnErrorFieldNamesTheDate(t *testing.T) {
	ty := reflect.TypeFor[*newEditionRequest]()
	for _, tc := range []struct{ body, want string }{
		{`{"published_from":"2024-01-01","published_to":"2024-13-03"}`, "published_to"},
		{`{"published_from":"someday"}`, "published_from"},
		{`{"published_from":"2024-01-01"}`, ""},
		{`[]`, ""},
	} {
		if got := ownErrorField([]byte(tc.body), ty); got != tc.want {
			t.Errorf("ownErrorField(%s) = %q, want %q", tc.body, got, tc.want)
		}
		var req newEditionRequest
		err := json.Unmarshal([]byte(tc.body), &req)
		if tc.want == "" || err == nil {
			continue
		}
		if msg := jsonError(err, tc.want, ty, int64(len(tc.body))).Error(); !strings.HasPrefix(msg, tc.want+": date ") {
			t.Errorf("%s: the error says %q, want it to begin %q", tc.body, msg, tc.want+": date ")
		}
	}
}
