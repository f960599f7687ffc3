package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// internalName is how the services' messages begin ("email: …",
// "countries, topics: …"), which no person should read.
var internalName = regexp.MustCompile(`^[a-z_, ]+:`)

// TestEveryFormMistakeHasPlainWords makes each mistake the form can meet
// and checks it is told in plain words, in both languages, against the
// right field: a service's message reworded, or a new one, fails here
// rather than reaching a person as "email: …".
func TestEveryFormMistakeHasPlainWords(t *testing.T) {
	tax := taxonomy.Default()
	emailErr := func(addr string) error {
		_, err := domain.NormalizeEmail(addr)
		return err
	}
	filterErr := func(f domain.Filter) error {
		f.Normalize()
		return f.Validate(tax)
	}
	choicesErr := func(q string) error {
		v, _ := url.ParseQuery(q)
		_, err := choicesOf(v, tax)
		return err
	}
	for _, tc := range []struct {
		name, field string
		err         error
	}{
		{"empty address", "email", emailErr("")},
		{"formula", "email", emailErr("=cmd@example.org")},
		{"too long", "email", emailErr(strings.Repeat("a", 60) + "@" + strings.Repeat("b", 200) + ".org")},
		{"not an address", "email", emailErr("not an address")},
		{"local part too long", "email", emailErr(strings.Repeat("l", 65) + "@example.org")},
		{"a character that cannot be seen", "email", emailErr("ana\u202e@example.org")},
		{"no real domain", "email", emailErr("ana@localhost")},
		{"long once in ASCII", "email", emailErr(strings.Repeat("a", 64) + "@" + strings.Repeat("ü", 60) + "." + strings.Repeat("b", 60) + "." + strings.Repeat("c", 50) + ".org")},
		{"nothing chosen", "choices", filterErr(domain.Filter{})},
		{"unknown country", "countries", filterErr(domain.Filter{Countries: []string{"XX"}})},
		{"unknown topic", "topics", filterErr(domain.Filter{Topics: []string{"gardening"}})},
		{"unknown language", "language", filterErr(domain.Filter{Countries: []string{"CR"}, Language: "pt"})},
		{"unknown mode", "mode", filterErr(domain.Filter{Countries: []string{"CR"}, Mode: "wide"})},
		{"narrow without a topic", "mode", filterErr(domain.Filter{Countries: []string{"CR"}, Mode: domain.ModeNarrow})},
		{"unknown region", "countries", choicesErr("regions=atlantis")},
		{"too many countries", "countries", choicesErr(strings.Repeat("countries=CR&", maxChoiceValues+1))},
		{"too many topics", "topics", choicesErr(strings.Repeat("topics=health&", maxChoiceValues+1))},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error to tell", tc.name)
			continue
		}
		if _, ok := plainErrors[formatOf(tc.err)]; !ok {
			t.Errorf("%s: %q has no plain words", tc.name, tc.err)
		}
		for _, lang := range domain.Languages {
			fe := fieldErrorOf(lang, tc.err)
			if fe.Field != tc.field || fe.Message == "" || internalName.MatchString(fe.Message) {
				t.Errorf("%s (%s): told as %+v, want plain words against %s", tc.name, lang, fe, tc.field)
			}
		}
	}
}

// TestRegionBoxesCountTheirChange: ticking a region's box adds its
// countries, unticking it removes them, and a box left as it was lets the
// country boxes decide.
func TestRegionBoxesCountTheirChange(t *testing.T) {
	tax := taxonomy.Default()
	ca := "BZ,CR,GT,HN,NI,PA,SV"
	for _, tc := range []struct{ query, want string }{
		{"regions=central-america&countries=MX", ca[:6] + "GT,HN,MX,NI,PA,SV"},
		{"regions_was=central-america&countries=MX&countries=CR", "MX"},
		{"regions=central-america&regions_was=central-america&countries=CR&countries=GT", "CR,GT"},
	} {
		v, _ := url.ParseQuery(tc.query)
		f, err := choicesOf(v, tax)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(f.Countries, ","); got != tc.want {
			t.Errorf("%s: countries %s, want %s", tc.query, got, tc.want)
		}
	}
}
