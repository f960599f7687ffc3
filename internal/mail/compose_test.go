package mail

import (
	"bufio"
	"bytes"
	"testing"
)

func TestWriteCRLF(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"a":                "a",
		"a\nb\n":           "a\r\nb\r\n",
		"a\r\nb":           "a\r\nb",
		"a\rb\n\nc":        "a\r\nb\r\n\r\nc",
		"\n\r\n\r":         "\r\n\r\n\r\n",
		"línea\nlínea\r\n": "línea\r\nlínea\r\n",
	} {
		var b bytes.Buffer
		writeCRLF(&b, in)
		if b.String() != want {
			t.Errorf("writeCRLF(%q) = %q, want %q", in, b.String(), want)
		}
	}
}

func TestWriteDotStuffed(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\nb\r\n":           "a\r\nb\r\n.\r\n",
		".a\r\n..b\r\nc.d\r\n": "..a\r\n...b\r\nc.d\r\n.\r\n",
		"no line end":          "no line end\r\n.\r\n",
		"end\r\n.":             "end\r\n..\r\n.\r\n",
	} {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		if err := writeDotStuffed(w, []byte(in)); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("writeDotStuffed(%q) = %q, want %q", in, b.String(), want)
		}
	}
}
