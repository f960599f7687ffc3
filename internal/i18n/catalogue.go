package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// Catalogue holds the messages of every language, read from one file per
// language. It is safe for concurrent use.
type Catalogue struct {
	langs      []string
	messages   map[string]map[string]*goi18n.Message // language → key → message
	localizers map[string]*goi18n.Localizer          // for plural forms
}

// Load reads the files dir/<lang>.toml of fsys, one per language; the
// source language's must be there. Errors name the file.
func Load(fsys fs.FS, dir string) (*Catalogue, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalogue{messages: map[string]map[string]*goi18n.Message{}, localizers: map[string]*goi18n.Localizer{}}
	for _, name := range names {
		lang := strings.TrimSuffix(path.Base(name), ".toml")
		tag, err := language.Parse(lang)
		if err != nil || tag.String() != lang {
			return nil, fmt.Errorf("%s: the name must be a language code such as fr.toml", name)
		}
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		file, err := bundle.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		byKey := make(map[string]*goi18n.Message, len(file.Messages))
		for _, m := range file.Messages {
			if m.Other == "" {
				return nil, fmt.Errorf("%s: %s: no text (a message with plural forms needs at least \"other\")", name, m.ID)
			}
			byKey[m.ID] = m
		}
		c.messages[lang] = byKey
		c.localizers[lang] = goi18n.NewLocalizer(bundle, lang)
		c.langs = append(c.langs, lang)
	}
	if c.messages[Source] == nil {
		return nil, errors.New(path.Join(dir, Source+".toml") + ": missing: the source language's file is required")
	}
	slices.SortFunc(c.langs, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == Source:
			return -1
		case b == Source:
			return 1
		}
		return strings.Compare(a, b)
	})
	return c, nil
}

// Languages returns the catalogue's languages, the source one first.
func (c *Catalogue) Languages() []string { return slices.Clone(c.langs) }

// Keys returns the keys lang has, sorted.
func (c *Catalogue) Keys(lang string) []string {
	keys := make([]string, 0, len(c.messages[lang]))
	for k := range c.messages[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Forms returns the texts of the message key in lang by CLDR plural form
// ("one", "other"…), only those it has; nil when lang lacks the key.
func (c *Catalogue) Forms(lang, key string) map[string]string {
	m := c.messages[lang][key]
	if m == nil {
		return nil
	}
	forms := map[string]string{}
	for form, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two,
		"few": m.Few, "many": m.Many, "other": m.Other} {
		if text != "" {
			forms[form] = text
		}
	}
	return forms
}

// Text returns the message key in lang, falling back to the source
// language, then to the key.
func (c *Catalogue) Text(lang, key string) string {
	if m, ok := c.messages[lang][key]; ok {
		return m.Other
	}
	if m, ok := c.messages[Source][key]; ok {
		return m.Other
	}
	return key
}

// Plural picks the form of key for n by lang's plural rules and fills it
// with args (n alone when args is empty).
func (c *Catalogue) Plural(lang, key string, n int, args ...any) string {
	if len(args) == 0 {
		args = []any{n}
	}
	return fmt.Sprintf(c.pluralForm(lang, key, n), args...)
}

// pluralForm is the text of the form of key that n takes in lang.
func (c *Catalogue) pluralForm(lang, key string, n int) string {
	if _, ok := c.messages[lang][key]; !ok {
		lang = Source
	}
	l := c.localizers[lang]
	if l == nil {
		return key
	}
	// The identity parser keeps the text as it is: messages are fmt
	// formats, not Go templates.
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateParser: template.IdentityParser{}})
	if s == "" && err != nil {
		return c.Text(lang, key)
	}
	// A form the file lacks gives go-i18n's fallback, "other", and an
	// error; the tests check every form the languages' rules use.
	return s
}

// HasForm reports whether the form n takes in lang is in lang's file:
// for the tests, which check every count a page can show.
func (c *Catalogue) HasForm(lang, key string, n int) bool {
	l := c.localizers[lang]
	if l == nil || c.messages[lang][key] == nil {
		return false
	}
	_, err := l.Localize(&goi18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateParser: template.IdentityParser{}})
	return err == nil
}
