package i18n

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// nameArgs are the messages that put a country's, region's or topic's
// name in a sentence, and which of their arguments it is. The names come
// from CLDR and the [topic] section bare ("Mexique", "États-Unis",
// "Santé"), so a sentence that puts one after a word ("articles sur %s",
// "noticias sobre %s", "stories about %s") reads "articles sur Mexique",
// "noticias sobre Salud", "stories about United States", where the
// language wants an article that depends on the name ("le Mexique",
// "la salud", "the United States"); as a sentence's subject too
// ("Mexique ne fait plus partie de vos choix"). Such a message sets the
// name apart instead: in quotation marks, as a heading before a colon,
// or as the value after one.
var nameArgs = map[string]int{
	"page.fewer_intro":      1,
	"page.fewer_button":     1,
	"page.fewer_done":       1,
	"page.fewer_not_held":   1,
	"page.fewer_last":       1,
	"page.feed_description": 1,
	"page.feed_title":       2,
	"page.archive_feed_of":  1,
	"page.region_all":       1,
	"mail.digest_subject":   2,
}

// TestNamesStandAsLabels fails for a message that puts a country's or
// topic's name in a sentence unquoted: after a word ("sur %s"), or as
// its subject ("%s ne fait plus partie de vos choix").
func TestNamesStandAsLabels(t *testing.T) {
	c := Default()
	for key, arg := range nameArgs {
		for _, lang := range c.Languages() {
			for form, text := range c.Forms(lang, key) {
				at, end := argAt(text, arg)
				if at < 0 {
					t.Errorf("locales/%s.toml: %s (%s) has no argument %d: %q", lang, key, form, arg, text)
					continue
				}
				if !label(text[:at], text[end:]) {
					t.Errorf("locales/%s.toml: %s (%s) puts the name in a sentence, where it needs an article: %q", lang, key, form, text)
				}
			}
		}
	}
}

// TestFrenchZoneIsALabel: a zone's city can be a country's name
// (America/Costa_Rica is "Costa Rica"), and "heure de Costa Rica" lacks
// its article; French says it as CLDR does, "heure : Costa Rica".
func TestFrenchZoneIsALabel(t *testing.T) {
	if got := Format("fr", "schedule.zone", "Costa Rica"); strings.Contains(got, "de Costa Rica") || !strings.HasSuffix(got, "\u00a0: Costa Rica") {
		t.Errorf("the French zone reads %q, want the city as a label", got)
	}
}

// argAt is where the verb of argument n (1-based) starts and ends in
// format, as fmt numbers the arguments, or -1, -1.
func argAt(format string, n int) (start, end int) {
	next := 1
	for _, m := range verb.FindAllStringSubmatchIndex(format, -1) {
		if format[m[6]:m[7]] == "%" {
			continue
		}
		if m[2] >= 0 {
			fmt.Sscanf(format[m[2]:m[3]], "[%d]", &next)
		}
		if next == n {
			return m[0], m[1]
		}
		next++
	}
	return -1, -1
}

// label reports whether a name between before and after stands apart:
// in quotation marks (« %s », “%s”), as a heading ("%s : articles…"),
// or as the value that ends a label ("Flux RSS : %s").
func label(before, after string) bool {
	const spaces = " \u00a0\u202f"
	before, after = strings.TrimRight(before, spaces), strings.TrimLeft(after, spaces)
	last, _ := utf8.DecodeLastRuneInString(before)
	switch {
	case before != "" && strings.ContainsRune("«“‘\"", last):
		return true
	case before == "":
		return strings.HasPrefix(after, ":")
	default:
		return last == ':' && strings.Trim(after, ".") == ""
	}
}
