package admin

import (
	"errors"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
)

// TestEveryLineErrorOfAListIsTranslated: each fault the subscriber list's
// reader can find, in the header or in a line, reads in each language of
// the console, never in English, and a fault in a column is said without
// the field's name, which the column beside it gives as the file does.
func TestEveryLineErrorOfAListIsTranslated(t *testing.T) {
	var les []subscribers.LineError
	for _, header := range []string{"", "email,countries,topics,language,name\n", "email,countries,topics,language,email\n",
		"email,countries,topics\n", "email,countries\n", "email,\"countries\n"} {
		_, err := subscribers.NewCSVReader(strings.NewReader(header), knownTaxonomy{})
		var e *errs.Error
		if !errors.As(err, &e) {
			t.Fatalf("header %q: %v, want line errors", header, err)
		}
		les = append(les, e.Details.([]subscribers.LineError)...)
	}
	r, err := subscribers.NewCSVReader(strings.NewReader("email,countries,topics,language,mode,status\n"+
		"nope,XX,,de,sometimes,gone\n"+
		"\u00a0a\u200b@example.org,*;NI,,en,,\n"+
		"b@example.org,NI,elections,en,all,\n"+
		"c@example.org,,,en,narrow,\n"+
		"d@example.org,NI,,en,\xff,\n"+
		"e@example.org,NI\n"+
		"f@example.org,NI,,en,,\n"+
		"g@exa\"mple.org,NI,,en,,\n"), knownTaxonomy{})
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	les = append(les, r.Errors()...)
	// Read with the taxonomy, which finds countries and topics by name.
	named, err := subscribers.NewCSVReader(strings.NewReader("email,countries,topics,language\n"+
		"h@example.org,Narnia,Gardening,en\n"+"i@example.org,,,en\n"), taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	for named.Next() {
	}
	les = append(les, named.Errors()...)
	if len(les) < 20 {
		t.Fatalf("%d faults: %+v", len(les), les)
	}
	for _, le := range les {
		english := lineProblems("en", []subscribers.LineError{le})[0]
		if le.Column != "" && english.Text == le.Message {
			t.Errorf("line %d, %s: %q still names its field", le.Line, le.Column, le.Message)
		}
		for _, lang := range domain.Languages {
			if lang == "en" {
				continue
			}
			got := lineProblems(lang, []subscribers.LineError{le})[0]
			if got.Text == english.Text || got.Column != le.Column || got.Line != le.Line {
				t.Errorf("%s: line %d, %q reads %+v", lang, le.Line, le.Message, got)
			}
		}
	}
}
