package domain

import (
	"strings"
	"unicode/utf8"
)

// StorableText reports whether PostgreSQL can hold s as text: UTF-8,
// with no NUL. Anything else a client sends is its mistake, to be
// refused where it arrives rather than failing in the database.
func StorableText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// UnstorableField returns the name of the first field of a query or a
// form (name → values) whose name or a value is not StorableText; ok is
// false when there is none.
func UnstorableField(fields map[string][]string) (name string, ok bool) {
	for k, vs := range fields {
		if !StorableText(k) {
			return strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), ""), true
		}
		for _, v := range vs {
			if !StorableText(v) {
				return k, true
			}
		}
	}
	return "", false
}
