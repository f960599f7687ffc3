package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// subjectMax is about what an inbox list shows of a subject on a phone
// before it cuts it off.
const subjectMax = 70

// digestSubject says what is inside a digest in the reader's language:
// how many stories, and its sections by name, as many as fit in subjectMax
// followed by how many more ("6 new stories: Costa Rica, Panama and 2
// more"). The count names no period ("this week"): one digest goes to
// readers of every frequency. The list's name is not repeated: it is in
// From.
func digestSubject(s ui, lang string, stories int, sections []string, earlier bool) string {
	var count string
	switch {
	case stories == 0:
		return s.SubjectNone
	case earlier:
		count = s.count("subject_stories_earlier", stories)
	default:
		count = s.count("subject_stories", stories)
	}
	for named := len(sections); named > 0; named-- {
		subject := fmt.Sprintf(s.DigestSubject, count, listNames(s, lang, sections[:named], len(sections)-named))
		if utf8.RuneCountInString(subject) <= subjectMax {
			return subject
		}
	}
	return count
}

// listNames joins names as a sentence does ("A, B and C"), ending with
// "and N more" when more were left out.
func listNames(s ui, lang string, names []string, more int) string {
	if more > 0 {
		names = append(names[:len(names):len(names)], s.count("list_more", more))
	}
	if len(names) == 1 {
		return names[0]
	}
	last := names[len(names)-1]
	return strings.Join(names[:len(names)-1], ", ") + conjunction(s, lang, last) + last
}

// conjunction is the "and" before next. Spanish writes "e" for "y" before
// a word that starts with the sound i ("Colombia e Islas Caimán"), but not
// before a diphthong ("y hielo").
func conjunction(s ui, lang, next string) string {
	if lang != "es" {
		return s.ListAnd
	}
	w := strings.ToLower(next)
	w = strings.TrimPrefix(w, "h")
	if (strings.HasPrefix(w, "i") || strings.HasPrefix(w, "í")) && !strings.HasPrefix(w, "ia") &&
		!strings.HasPrefix(w, "ie") && !strings.HasPrefix(w, "io") && !strings.HasPrefix(w, "iu") {
		return " e "
	}
	return s.ListAnd
}
