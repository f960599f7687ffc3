package i18n

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestEveryLanguageHasEveryKey fails for a key missing from a language's
// file, or one it has that the source language does not (a key renamed
// in English and left behind in a translation).
func TestEveryLanguageHasEveryKey(t *testing.T) {
	c := Default()
	source := c.Keys(Source)
	for _, lang := range c.Languages()[1:] {
		keys := c.Keys(lang)
		for _, k := range source {
			if _, found := slices.BinarySearch(keys, k); !found {
				t.Errorf("locales/%s.toml: %s is missing", lang, k)
			}
		}
		for _, k := range keys {
			if _, found := slices.BinarySearch(source, k); !found {
				t.Errorf("locales/%s.toml: %s is not in %s.toml", lang, k, Source)
			}
		}
	}
}

// verb matches a fmt verb: %d, %s, %q, %.1f, %[2]s; %% is not one.
var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])`)

// verbs returns which verb each argument of a format takes, by argument
// number (1-based), as fmt reads them.
func verbs(format string) map[int]string {
	out := map[int]string{}
	next := 1
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		if m[3] == "%" {
			continue
		}
		if m[1] != "" {
			fmt.Sscanf(m[1], "[%d]", &next)
		}
		out[next] = m[3]
		next++
	}
	return out
}

// sample fills a verb with a value of its kind.
func sample(v string) any {
	switch v {
	case "d":
		return 3
	case "f":
		return 1.5
	}
	return "x"
}

// TestTranslationsKeepTheVerbs fails for a translation, or a plural form,
// whose verbs differ from the source's: it would print %!d(MISSING) or
// %!(EXTRA …) where a reader sees it.
func TestTranslationsKeepTheVerbs(t *testing.T) {
	c := Default()
	for _, key := range c.Keys(Source) {
		want := verbs(c.Forms(Source, key)["other"])
		args := make([]any, len(want))
		for i := range args {
			args[i] = sample(want[i+1])
		}
		for _, lang := range c.Languages() {
			for form, text := range c.Forms(lang, key) {
				if got := verbs(text); !mapsEqual(got, want) {
					t.Errorf("locales/%s.toml: %s (%s): verbs %v, the source has %v", lang, key, form, got, want)
					continue
				}
				if out := fmt.Sprintf(text, args...); strings.Contains(out, "%!") {
					t.Errorf("locales/%s.toml: %s (%s) prints %q", lang, key, form, out)
				}
			}
		}
	}
}

func mapsEqual(a, b map[int]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestPluralFormsCoverEveryCount fails for a counted message that lacks a
// form its language's CLDR rules give some count ("one" in French covers
// 0 and 1), and for one counted in a translation but not in the source,
// whose forms the code would never ask for.
func TestPluralFormsCoverEveryCount(t *testing.T) {
	c := Default()
	for _, key := range c.Keys(Source) {
		counted := len(c.Forms(Source, key)) > 1
		for _, lang := range c.Languages() {
			if !counted {
				if forms := c.Forms(lang, key); len(forms) > 1 {
					t.Errorf("locales/%s.toml: %s has plural forms but the source's has none", lang, key)
				}
				continue
			}
			for n := range 1001 {
				if !c.HasForm(lang, key, n) {
					t.Errorf("locales/%s.toml: %s has no form for the count %d", lang, key, n)
					break
				}
			}
		}
	}
}

func TestPluralPicksTheLanguagesForm(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 week"}, {"en", 0, "0 weeks"}, {"en", 2, "2 weeks"},
		{"es", 1, "1 semana"}, {"es", 0, "0 semanas"},
		{"fr", 0, "0 semaine"}, {"fr", 1, "1 semaine"}, {"fr", 2, "2 semaines"},
	} {
		if got := Plural(tc.lang, "page.pause_weeks_n", tc.n); got != tc.want {
			t.Errorf("Plural(%s, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestLanguagesComeFromTheFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"l/en.toml": {Data: []byte("[page]\ntitle = \"News\"\n")},
		"l/pt.toml": {Data: []byte("[page]\ntitle = \"Notícias\"\n")},
		"l/de.toml": {Data: []byte("[page]\ntitle = \"Nachrichten\"\n")},
	}
	c, err := Load(fsys, "l")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Languages(), []string{"en", "de", "pt"}; !slices.Equal(got, want) {
		t.Errorf("languages %v, want %v", got, want)
	}
	if got := c.Text("pt", "page.title"); got != "Notícias" {
		t.Errorf("pt title %q", got)
	}
	if got := c.Text("pt", "page.missing"); got != "page.missing" {
		t.Errorf("missing key gives %q, want the key", got)
	}
	for name, files := range map[string]fstest.MapFS{
		"no source file": {"l/fr.toml": {Data: []byte("[page]\ntitle = \"x\"\n")}},
		"bad file name":  {"l/en.toml": {Data: []byte("[page]\ntitle = \"x\"\n")}, "l/french.toml": {Data: []byte("[page]\ntitle = \"x\"\n")}},
		"bad TOML":       {"l/en.toml": {Data: []byte("[page\n")}},
		"no other form":  {"l/en.toml": {Data: []byte("[page]\nn = { one = \"%d\" }\n")}},
	} {
		if _, err := Load(files, "l"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestLanguageNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{LanguageName("en", "fr"), "French"},
		{LanguageName("es", "fr"), "francés"},
		{LanguageName("fr", "es"), "espagnol"},
		{Autonym("fr"), "Français"},
		{Autonym("es"), "Español"},
		{Autonym("en"), "English"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
