package app_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

// Addresses that are no mailbox on the public internet, or that a
// spreadsheet would run as a formula, are refused at sign-up and import;
// an internationalised domain is one subscriber however it is written,
// stored and mailed in its ASCII form.
func TestSignupAndImportValidateAddresses(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, addr := range []string{
		"=cmd|'/Ccalc.exe'!A0@example.com",
		"+1@example.com",
		"-1@example.com",
		"victim@[127.0.0.1]",
		"victim@127.0.0.1",
		"a@localhost",
		"a@-example.com",
		strings.Repeat("l", 65) + "@example.com",
	} {
		a := s.postSignup(s.base, "application/json", signupBody(addr), nil)
		if a.status != http.StatusUnprocessableEntity || !strings.HasPrefix(a.err.Error.Message, "email:") {
			t.Errorf("sign-up %q: %d %s; want 422 naming email", addr, a.status, a.body)
		}
	}

	status, a := s.importCSV("email,countries,topics,language\nok@example.org,CR,,en\n=1+1@example.com,CR,,en\nb@[10.0.0.1],CR,,en\n")
	if status != http.StatusUnprocessableEntity || len(a.Errors) != 2 || a.Errors[0].Line != 3 ||
		!strings.HasPrefix(a.Errors[0].Message, "email: must not begin with =") || a.Errors[1].Line != 4 {
		t.Errorf("import with bad addresses: %d %+v", status, a)
	}

	for _, addr := range []string{"user@bücher.example", "user@xn--bcher-kva.example", "user@BÜCHER.example"} {
		if a := s.postSignup(s.base, "application/json", signupBody(addr), nil); a.status != http.StatusAccepted {
			t.Fatalf("sign-up %q: %d %s", addr, a.status, a.body)
		}
	}
	if got := emails(s.subscribers("")); len(got) != 1 || got[0] != "user@xn--bcher-kva.example" {
		t.Errorf("subscribers = %v, want one, user@xn--bcher-kva.example", got)
	}
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to the IDN address", func([]testenv.Received) bool {
		return len(s.smtp.To("user@xn--bcher-kva.example")) == 1
	})
	if status, a := s.importCSV("email,countries,topics,language\nUser@Bücher.Example,CR,,en\n"); status != http.StatusOK || a.Skipped != 1 {
		t.Errorf("import of the same IDN address: %d %+v; want it skipped as already stored", status, a)
	}
}

// An export escapes the cells a spreadsheet would run as formulas (rows
// stored before such addresses were refused), and the importer undoes the
// escape: the address is then refused by name, not stored with a quote.
func TestExportEscapesFormulas(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	formula := "=cmd|'/Ccalc.exe'!A0@example.com"
	s.sqlExec(`INSERT INTO subscribers (email, status, countries, token) VALUES ($1, 'active', '{CR}', $2), ($3, 'active', '{CR}', $4)`,
		formula, token.New(), "plain@example.org", token.New())
	records := s.exportCSV("")
	if len(records) != 3 {
		t.Fatalf("export = %q", records)
	}
	for _, rec := range records {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("exported cell %q begins a formula", cell)
			}
		}
	}
	if records[1][0] != "'"+formula || records[2][0] != "plain@example.org" {
		t.Errorf("exported addresses %q, %q; want the formula escaped with a quote, the other as is", records[1][0], records[2][0])
	}

	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(records)
	status, a := s.importCSV(buf.String())
	if status != http.StatusUnprocessableEntity || len(a.Errors) != 1 || a.Errors[0].Line != 2 ||
		!strings.HasPrefix(a.Errors[0].Message, "email: must not begin with =") {
		t.Errorf("re-import of the export: %d %+v; want line 2 refused as a formula", status, a)
	}
}

// JSON errors name the field in the API's words, never a Go type.
func TestJSONErrorsNameFieldsNotGoTypes(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, tc := range []struct {
		path, body, want string
		admin            bool
	}{
		{"/api/v1/subscriptions", `{"email":"a@example.org","countries":"CR"}`, "countries: must be a list of country codes", false},
		{"/api/v1/subscriptions", `{"email":"a@example.org","countries":[1]}`, "countries: must be a list of country codes", false},
		{"/api/v1/subscriptions", `{"email":"a@example.org","topics":{}}`, "topics: must be a list of topic slugs", false},
		{"/api/v1/subscriptions", `{"email":1}`, "email: must be text (a JSON string)", false},
		{"/api/v1/subscriptions", `{"email":"a@example.org","mode":true}`, "mode: must be text (a JSON string)", false},
		{"/api/v1/subscriptions", `[]`, "body: must be a JSON object", false},
		{"/api/v1/subscriptions", `"a@example.org"`, "body: must be a JSON object", false},
		{"/api/v1/subscriptions", `{`, "body: not valid JSON (it ends early, at byte 1)", false},
		{"/api/v1/subscriptions", `{"email":}`, "body: not valid JSON (at byte 10)", false},
		{"/api/v1/subscriptions", `{} {}`, "body: not valid JSON (at byte", false},
		{"/api/v1/subscriptions", ``, "body: empty; want a JSON object", false},
		{"/api/v1/items", `{"title":"T","countries":"CR"}`, "countries: must be a list of country codes", true},
		{"/api/v1/previews", `{"countries":["CR"],"language":["en"]}`, "language: must be text (a JSON string)", true},
		{"/api/v1/sources", `{"url":5}`, "url: must be text (a JSON string)", true},
	} {
		status, body := s.do("POST", tc.path, "application/json", []byte(tc.body), tc.admin)
		var e apiErr
		mustJSON(t, body, &e)
		if status != http.StatusBadRequest || !strings.HasPrefix(e.Error.Message, tc.want) {
			t.Errorf("%s %s: %d %q; want 400 %q", tc.path, tc.body, status, e.Error.Message, tc.want)
		}
		for _, leak := range []string{"Go ", "struct", "Request", "Filter", "[]string", "unmarshal", "int64", "bool"} {
			if strings.Contains(e.Error.Message, leak) {
				t.Errorf("%s %s: message %q names a Go type (%q)", tc.path, tc.body, e.Error.Message, leak)
			}
		}
	}
}
