package web

import "testing"

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
