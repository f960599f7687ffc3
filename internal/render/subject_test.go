package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDigestSubject(t *testing.T) {
	long := []string{"Antigua and Barbuda", "Saint Vincent and the Grenadines", "Trinidad and Tobago", "Regional", "Labour migration"}
	for _, tc := range []struct {
		lang     string
		stories  int
		sections []string
		want     string
	}{
		{"en", 6, []string{"Costa Rica", "Honduras", "Panama", "Regional"}, "6 new stories: Costa Rica, Honduras, Panama and Regional"},
		{"es", 6, []string{"Costa Rica", "Honduras", "Panamá", "Regional"}, "6 noticias nuevas: Costa Rica, Honduras, Panamá y Regional"},
		{"en", 1, []string{"Mexico"}, "1 new story: Mexico"},
		{"es", 1, []string{"México"}, "1 noticia nueva: México"},
		{"en", 0, nil, "No new stories"},
		{"en", 31, long, "31 new stories: Antigua and Barbuda and 4 more"},
		{"es", 40, long, "40 noticias nuevas: Antigua and Barbuda y 4 más"},
		{"es", 3, []string{"Colombia", "Islas Caimán"}, "3 noticias nuevas: Colombia e Islas Caimán"},
		{"es", 3, []string{"Colombia", "Hielo"}, "3 noticias nuevas: Colombia y Hielo"},
		{"en", 2, []string{strings.Repeat("Very long topic name ", 4)}, "2 new stories"},
	} {
		got := digestSubject(catalog()[tc.lang], tc.lang, tc.stories, tc.sections, false)
		if got != tc.want {
			t.Errorf("%s %d %v:\n got %q\nwant %q", tc.lang, tc.stories, tc.sections, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > subjectMax {
			t.Errorf("%q is %d characters, over %d", got, n, subjectMax)
		}
	}
}

// TestTruncateAtWordBoundary: a cut summary ends with a whole word and an
// ellipsis, never with punctuation before it.
func TestTruncateAtWordBoundary(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"short enough", 20, "short enough"},
		{"The programme supports regular pathways, fair recruitment", 42, "The programme supports regular pathways…"},
		{"The programme supports regular pathways, fair recruitment", 41, "The programme supports regular pathways…"},
		{"One two three. Four five", 16, "One two three…"},
		{"Alpha · Beta · Gamma delta", 16, "Alpha · Beta…"},
		{"Supercalifragilisticexpialidocious", 10, "Supercali…"},
		{"Un niño — y otro; más", 18, "Un niño — y otro…"},
	} {
		got := truncate(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if utf8.RuneCountInString(got) > tc.max {
			t.Errorf("truncate(%q, %d) = %q: too long", tc.in, tc.max, got)
		}
	}
}
