package ingest

import (
	"net/url"
	"slices"
	"strings"
	"unicode"

	"newsdigest/internal/domain"
	"newsdigest/internal/tagging"
)

// setStoryKeys derives what recognises the item later: its fingerprint,
// the words of its title, and the keys linking its language versions.
func setStoryKeys(it *domain.Item) {
	it.Fingerprint = Fingerprint(*it)
	it.TitleTokens = TitleTokens(it.Title)
	it.TranslationKeys = TranslationKeys(it.URL, it.Alternates)
}

// Fingerprint recognises a story arriving again: by its link when it has
// one (scheme, "www.", fragment, utm_ parameters and trailing slash aside),
// else by its day and its title folded to lower-case letters and digits.
func Fingerprint(it domain.Item) string {
	if key, ok := urlKey(it.URL); ok {
		return key
	}
	var b strings.Builder
	for _, r := range strings.ToLower(it.Title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return "t:" + it.PublishedOn.String() + ":" + b.String()
}

// urlKey is the "u:" fingerprint of a link, or false when s is not one.
func urlKey(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	return "u:" + host + strings.TrimSuffix(u.EscapedPath(), "/") + queryPart(u, nil), true
}

// queryPart is the query of u in a fixed order, without tracking
// parameters and without the parameters in drop.
func queryPart(u *url.URL, drop map[string]bool) string {
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "utm_") || drop[strings.ToLower(k)] {
			q.Del(k)
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// TitleTokens returns the words of a title folded (lower case, no accents,
// no punctuation), sorted and without repeats: what domain.NearDuplicate
// compares.
func TitleTokens(title string) []string {
	out := tagging.Tokens(title)
	slices.Sort(out)
	return slices.Compact(out)
}

// Query parameters that choose a page's language.
var languageParams = map[string]bool{"lang": true, "language": true, "hl": true, "locale": true}

// TranslationKeys returns the keys that link language versions of one
// story (see domain.Item.TranslationKeys). They come only from explicit
// signals, never from guessing that two titles translate each other:
//   - "u:" the item's own link, so another version that names it as an
//     alternate finds it;
//   - "a:" its alternates' links (a feed's hreflang links): a claim, which
//     links two items only when each names the other (see
//     postgres.linkTranslations), since any feed can name any address;
//   - "l:" its link with the language marker taken out, when the site
//     marks the language in the address: a path segment (/en/news/x and
//     /es/news/x), a subdomain (en.example.org) or a parameter (?lang=es).
func TranslationKeys(link string, alternates []string) []string {
	var keys []string
	if k, ok := urlKey(link); ok {
		keys = append(keys, k)
		if k, ok := languageFreeKey(link); ok {
			keys = append(keys, k)
		}
	}
	for _, a := range alternates {
		if k, ok := urlKey(a); ok {
			keys = append(keys, AlternateKey(k))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// AlternateKey turns the "u:" key of a link into the "a:" key of a claim
// that the link is the same story in another language.
func AlternateKey(linkKey string) string { return "a:" + strings.TrimPrefix(linkKey, "u:") }

// languageFreeKey is the "l:" key of a link whose address marks its
// language, with the marker replaced by "*"; false when it marks none.
func languageFreeKey(link string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return "", false
	}
	found := false
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	if first, rest, ok := strings.Cut(host, "."); ok && languageOf(first) != "" && strings.Contains(rest, ".") {
		host, found = "*."+rest, true
	}
	segs := strings.Split(strings.TrimSuffix(u.EscapedPath(), "/"), "/")
	for i, s := range segs {
		if languageOf(s) != "" {
			segs[i], found = "*", true
			break // only the first: /en/news/es-el-salvador keeps its slug
		}
	}
	for k, v := range u.Query() {
		if languageParams[strings.ToLower(k)] && len(v) > 0 && languageOf(v[0]) != "" {
			found = true
		}
	}
	if !found {
		return "", false
	}
	return "l:" + host + strings.Join(segs, "/") + queryPart(u, languageParams), true
}

// urlLanguage is the language a link's address marks ("en", "fr"), or "".
func urlLanguage(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return ""
	}
	for _, s := range strings.Split(u.EscapedPath(), "/") {
		if l := languageOf(s); l != "" {
			return l
		}
	}
	for k, v := range u.Query() {
		if languageParams[strings.ToLower(k)] && len(v) > 0 {
			if l := languageOf(v[0]); l != "" {
				return l
			}
		}
	}
	if first, _, ok := strings.Cut(strings.ToLower(u.Host), "."); ok {
		return languageOf(first)
	}
	return ""
}

// languageOf reads a language marker of an address: "en", "fr", "en-us",
// "es_MX", "es-419". Only the digest's languages count; a marker is a
// whole path segment, so "/news/es" is one and "/noticias-es" is not.
func languageOf(s string) string {
	s = strings.ToLower(s)
	lang, region, hasRegion := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	if !domain.IsLanguage(lang) {
		return ""
	}
	if hasRegion && (len(region) < 2 || len(region) > 3) {
		return ""
	}
	return lang
}
