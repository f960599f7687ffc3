package i18n

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// LanguageName names the language code in the language in, from CLDR, as
// it is written in running text: "Spanish", "español", "espagnol".
func LanguageName(in, code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	namer := display.Tags(language.Make(in))
	if namer == nil {
		namer = display.Tags(language.English)
	}
	if name := namer.Name(t); name != "" {
		return name
	}
	return code
}

// Autonym names the language code in itself, capitalised as a choice in a
// list is: "English", "Español", "Français".
func Autonym(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	name := display.Self.Name(t)
	if name == "" {
		return code
	}
	return Capitalise(name)
}

// Capitalise upper-cases the first letter of s, for a name that starts a
// label: "español" → "Español".
func Capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToTitle(r)) + s[size:]
}
