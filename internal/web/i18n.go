package web

import (
	"net/http"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// msg returns a page string in lang, from the [page] section of the
// catalogue (internal/i18n/locales).
func msg(lang, key string) string {
	return i18n.Text(lang, "page."+key)
}

// msgN returns the form of a counted page string for n in lang, filled
// with n: "1 week", "2 weeks".
func msgN(lang, key string, n int) string {
	return i18n.Plural(lang, "page."+key, n)
}

// languageLinks are the page's language switch: every language of the
// catalogue, named in itself, each linking to path in that language.
func languageLinks(path func(lang string) string) []langLink {
	var links []langLink
	for _, l := range domain.Languages {
		links = append(links, langLink{Code: l, Label: i18n.Autonym(l), URL: path(l)})
	}
	return links
}

// answerLanguageLinks are the header's language links of a form's
// answer: the page the form belongs to, in each language, since the
// form's own address takes only a POST (/subscribe, …/pause, …/resume).
// A GET's page keeps the default, its own address with another ?lang=.
func answerLanguageLinks(r *http.Request) []langLink {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	path := r.URL.Path
	switch {
	case path == "/subscribe":
		path = "/"
	case strings.HasPrefix(path, "/preferences/"):
		for _, action := range []string{"/pause", "/resume"} {
			path = strings.TrimSuffix(path, action)
		}
	}
	return languageLinks(func(l string) string { return path + "?lang=" + l })
}

// languageList names the languages a digest can be read in, each in
// itself: "English, Español, Français".
func languageList() string {
	names := make([]string, len(domain.Languages))
	for i, l := range domain.Languages {
		names[i] = i18n.Autonym(l)
	}
	return strings.Join(names, ", ")
}

// pageLang picks the page language: ?lang=, else the subscriber's
// language (fallback), else the browser's preference (by its q values),
// else English.
func pageLang(r *http.Request, fallback string) string {
	if l := r.URL.Query().Get("lang"); domain.IsLanguage(l) {
		return l
	}
	if domain.IsLanguage(fallback) {
		return fallback
	}
	if l, ok := i18n.Preferred(r.Header.Get("Accept-Language")); ok {
		return l
	}
	return "en"
}
