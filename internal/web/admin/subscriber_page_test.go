package admin

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// renderSubscriber renders the console's page of a person in lang.
func renderSubscriber(t *testing.T, lang string, v subscriberView) string {
	t.Helper()
	pages, err := parsePages(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := pages.ExecuteTemplate(&out, "subscriber.html", page{Lang: lang, User: &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}, Data: v}); err != nil {
		t.Fatalf("subscriber.html (%s): %v", lang, err)
	}
	return out.String()
}

// consentCheck finds the list of actions the consents table accepts, in
// the statement that creates the table or replaces its check.
var consentCheck = regexp.MustCompile(`(?s)(?:CREATE TABLE consents \(|ALTER TABLE consents ADD CONSTRAINT consents_action_check)[^;]*?CHECK \(action IN \(([^)]*)\)\)`)

// consentActions are the actions a consent record can hold: those of the
// latest migration that says (the database refuses any other).
func consentActions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../postgres/migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	slices.Sort(files)
	var list string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(string(b), "-- +goose Down")
		for _, m := range consentCheck.FindAllStringSubmatch(up, -1) {
			list = m[1]
		}
	}
	var actions []string
	for _, a := range strings.Split(list, ",") {
		actions = append(actions, strings.Trim(strings.TrimSpace(a), "'"))
	}
	if len(actions) < 2 {
		t.Fatalf("the consent actions read from the migrations: %q", list)
	}
	return actions
}

// TestEveryConsentActionIsNamed: each action a person's consent record
// can hold (pausing and resuming among them) is named in every language
// on the person's page, never shown as its key.
func TestEveryConsentActionIsNamed(t *testing.T) {
	actions := consentActions(t)
	if !slices.Contains(actions, "pause") || !slices.Contains(actions, "resume") {
		t.Fatalf("consent actions %v: pause and resume are missing, the migrations were not read right", actions)
	}
	var v subscriberView
	v.Record = domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: domain.StatusActive,
		Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}}}
	for _, a := range actions {
		if !hasMsg("sub_action_" + a) {
			t.Errorf("the consent action %q has no words (sub_action_%s)", a, a)
		}
		v.Consents = append(v.Consents, domain.ConsentEntry{Action: a})
	}
	cell := regexp.MustCompile(`<tr><td>([^<]*)</td>`)
	for _, lang := range domain.Languages {
		out := renderSubscriber(t, lang, v)
		_, table, _ := strings.Cut(out, `<table id="consents">`)
		cells := cell.FindAllStringSubmatch(table, -1)
		if len(cells) < len(actions) {
			t.Fatalf("%s: %d consent rows, want %d", lang, len(cells), len(actions))
		}
		for i, a := range actions {
			if got, want := html.UnescapeString(cells[i][1]), msg(lang, "sub_action_"+a); got != want || strings.Contains(got, "sub_action_") {
				t.Errorf("%s: the consent action %s is shown as %q, want %q", lang, a, got, want)
			}
		}
	}
}
