package testenv

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"testing"
)

// Parts returns the text of each part of a multipart message (raw, headers
// and all) by content type, decoded: multipart.Reader undoes
// quoted-printable, so tests compare what a reader would see.
func Parts(t testing.TB, raw []byte) map[string]string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("testenv: read message: %v", err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("testenv: Content-Type: %v", err)
	}
	out := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("testenv: read part: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("testenv: read part: %v", err)
		}
		out[ct] = string(b)
	}
}
