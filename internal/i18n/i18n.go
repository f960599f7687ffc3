// Package i18n is the one catalogue of words for every page, console page
// and email: one file per language in locales/ (go-i18n's TOML format,
// which translation tools such as Weblate read), loaded with go-i18n,
// whose CLDR plural rules choose between a message's forms. English is the
// source language; a language is supported when its file is there, so
// adding one is adding a file (docs/languages.md).
//
// A message is a fmt format: its arguments are filled with Format (or
// Plural, which picks the form for a count first). Code names a message
// by its key, "section.name": "page.confirm_title", "mail.unsubscribe".
package i18n

import (
	"embed"
	"fmt"
	"slices"
)

//go:embed locales/*.toml
var files embed.FS

// Source is the language every other is translated from, and the one a
// message missing from a language falls back to.
const Source = "en"

// all is the catalogue built from the embedded files. It is read-only
// once loaded, like the templates embedded beside it: the tests check
// every file, so a broken one fails CI rather than a server's start.
var all = mustLoad()

func mustLoad() *Catalogue {
	c, err := Load(files, "locales")
	if err != nil {
		panic(err)
	}
	return c
}

// Default returns the catalogue embedded in the program.
func Default() *Catalogue { return all }

// Languages returns the codes of the languages there is a file for: the
// source language first, then the others in alphabetical order. The
// caller may change the slice.
func Languages() []string { return slices.Clone(all.langs) }

// Has reports whether lang is a language of the catalogue.
func Has(lang string) bool { return slices.Contains(all.langs, lang) }

// Text returns the message key in lang, in English when lang lacks it,
// and the key itself when no language has it (which the tests forbid).
func Text(lang, key string) string { return all.Text(lang, key) }

// Format fills the message key in lang with args, as fmt.Sprintf does.
func Format(lang, key string, args ...any) string { return all.Format(lang, key, args...) }

// Plural picks the form of the message key for the count n by lang's
// CLDR plural rules ("1 week", "2 weeks"; French "0 semaine") and fills it
// with args, or with n alone when there are none.
func Plural(lang, key string, n int, args ...any) string { return all.Plural(lang, key, n, args...) }

// Exists reports whether the source language has the message key.
func Exists(key string) bool {
	_, ok := all.messages[Source][key]
	return ok
}

// Format fills the message key in lang with args.
func (c *Catalogue) Format(lang, key string, args ...any) string {
	return fmt.Sprintf(c.Text(lang, key), args...)
}

// Lookup returns the message key in lang, falling back to the source
// language, and whether either has it: for names that may be data the
// files do not know (a region an operator added).
func Lookup(lang, key string) (string, bool) {
	if m, ok := all.messages[lang][key]; ok {
		return m.Other, true
	}
	if m, ok := all.messages[Source][key]; ok {
		return m.Other, true
	}
	return "", false
}
