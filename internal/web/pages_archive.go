package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
)

// archiveData is what archive.html receives: the layout's fields and the
// archive's own.
type archiveData struct {
	pageData
	Country, Topic string // the filter shown
	Countries      []option
	Topics         []option
	Feeds          []feedLink // the current filter's feeds
	TopicFeeds     []feedLink // every topic's feed, offered when no filter is set
	Stories        []archiveStory
	OlderURL       string
	NewestURL      string
}

type feedLink struct{ Label, URL string }

type archiveStory struct {
	ID    int64
	Title string
	// Lang is the story's language when it is not the page's: its title
	// and summary carry it, so a screen reader reads them with that
	// language's sounds, as the digest's mail does.
	Lang    string
	URL     string // empty unless http(s)
	Date    string // YYYY-MM-DD, for <time datetime>
	Day     string // the date in the page's language
	In      string // for a story in another language than the page's, which: "in Spanish"
	Summary []string
	Tags    string
}

// cachedArchive is archive, its answers kept publicTTL (response_cache.go)
// under archiveKey.
func (s *Server) cachedArchive(c *gin.Context) {
	s.public.serve(c, archiveKey(c.Request), s.archive)
}

// archiveKey names an archive page by what archive reads of the request,
// in one form: the page's language, the first country, topic and before
// as archive takes them, the cursor as it is written out. Any other
// parameter, or another spelling of the same cursor, makes no page of
// its own, so neither keeps another copy nor gets past the cache to the
// database. A cursor that is no cursor is the one bad-page answer.
func archiveKey(r *http.Request) string {
	q := r.URL.Query()
	before := q.Get("before")
	if before != "" {
		if cur, err := domain.DecodeItemCursor(before); err == nil {
			before = cur.Encode()
		} else {
			before = "!"
		}
	}
	return "archive?" + url.Values{"lang": {pageLang(r, "")}, "country": {strings.ToUpper(q.Get("country"))},
		"topic": {strings.ToLower(q.Get("topic"))}, "before": {before}}.Encode()
}

// cachedFeed is a feed, its answers kept publicTTL under its path and
// language: a feed reads nothing else of its request.
func (s *Server) cachedFeed(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		// A code or slug in any case is the same feed (countryFeed,
		// topicFeed), kept once.
		s.public.serve(c, "feed|"+strings.ToLower(c.Request.URL.Path)+"|"+feedLang(c), h)
	}
}

// archive shows past editions' stories: public, no personal data, no
// form that changes anything (so neither cookie nor CSRF token).
func (s *Server) archive(c *gin.Context) {
	lang := pageLang(c.Request, "")
	ctx := c.Request.Context()
	q := c.Request.URL.Query()
	// A country's code and a topic's slug are read in any case: "hn" is
	// Honduras, as in the API.
	aq := editions.ArchiveQuery{Country: strings.ToUpper(q.Get("country")), Topic: strings.ToLower(q.Get("topic")), Language: lang}
	if v := q.Get("before"); v != "" {
		cur, err := domain.DecodeItemCursor(v)
		if err != nil {
			s.renderPageStatus(c.Writer, c.Request, http.StatusBadRequest, "error", pageData{
				Lang: lang, Title: msg(lang, "error_title"), Message: msg(lang, "archive_bad_page"),
				Link: archivePath(lang, "", "", ""), LinkLabel: msg(lang, "archive_title"),
			})
			return
		}
		aq.Before = &cur
	}
	tax, err := s.taxonomy(ctx)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	page, err := s.editions.Archive(ctx, aq)
	if errs.KindOf(err) == errs.NotFound {
		s.renderPageStatus(c.Writer, c.Request, http.StatusNotFound, "error", pageData{
			Lang: lang, Title: msg(lang, "not_found_title"), Message: msg(lang, "archive_unknown_filter"),
			Link: archivePath(lang, "", "", ""), LinkLabel: msg(lang, "archive_title"),
		})
		return
	}
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	d := archiveData{
		pageData: pageData{Lang: lang, Title: msg(lang, "archive_title"),
			// The other language shows the same country and topic, from
			// the newest stories (a page's cursor is this language's).
			LangLinks: languageLinks(func(l string) string { return archivePath(l, aq.Country, aq.Topic, "") })},
		Country: aq.Country, Topic: aq.Topic,
	}
	for _, ct := range tax.Countries {
		d.Countries = append(d.Countries, option{ct.Code, ct.Name(lang), ct.Code == aq.Country})
	}
	// Names, not codes, are what a reader scans for.
	sortByLabel(lang, d.Countries)
	for _, t := range tax.Topics {
		name := t.Name(lang)
		d.Topics = append(d.Topics, option{t.Slug, name, t.Slug == aq.Topic})
		d.TopicFeeds = append(d.TopicFeeds, feedLink{name, topicFeedPath(t.Slug, lang)})
	}
	if ct, ok := tax.Country(aq.Country); ok {
		d.Feeds = append(d.Feeds, feedLink{ct.Name(lang), countryFeedPath(ct.Code, lang)})
	}
	if t, ok := tax.Topic(aq.Topic); ok {
		d.Feeds = append(d.Feeds, feedLink{t.Name(lang), topicFeedPath(t.Slug, lang)})
	}
	for _, st := range page.Stories {
		d.Stories = append(d.Stories, newArchiveStory(st, lang))
	}
	if page.Next != nil {
		d.OlderURL = archivePath(lang, aq.Country, aq.Topic, page.Next.Encode())
	}
	if aq.Before != nil {
		d.NewestURL = archivePath(lang, aq.Country, aq.Topic, "")
	}
	s.renderArchive(c, d)
}

// renderArchive renders into a buffer first, as renderPageStatus does, so
// a template error is a clean 500.
func (s *Server) renderArchive(c *gin.Context, d archiveData) {
	d.Postal = s.cfg.OrgPostalAddress
	d.ListName = s.listName(d.Lang)
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, "archive.html", d); err != nil {
		s.pageFail(c, d.Lang, err)
		return
	}
	// The archive is the same for everyone; a minute's caching spares the
	// database a crowd of readers.
	c.Header("Cache-Control", "public, max-age=60")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

func archivePath(lang, country, topic, before string) string {
	v := url.Values{"lang": {lang}}
	if country != "" {
		v.Set("country", country)
	}
	if topic != "" {
		v.Set("topic", topic)
	}
	if before != "" {
		v.Set("before", before)
	}
	return "/archive?" + v.Encode()
}

func countryFeedPath(code, lang string) string {
	return "/feeds/country/" + url.PathEscape(code) + ".xml?lang=" + lang
}

func topicFeedPath(slug, lang string) string {
	return "/feeds/topic/" + url.PathEscape(slug) + ".xml?lang=" + lang
}

// otherLang is story, a story's language, when it is one of the
// catalogue's and not page, the page's; "" otherwise.
func otherLang(story, page string) string {
	if story == page || !domain.IsLanguage(story) {
		return ""
	}
	return story
}

// webURL keeps a story's address only when it is a web page: anything else
// (a mailto:, a javascript:) is not linked.
func webURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return raw
}

// paragraphs splits a summary at its line breaks.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// newArchiveStory lays out one story of the archive in lang, the page's.
func newArchiveStory(st editions.ArchiveStory, lang string) archiveStory {
	story := archiveStory{
		ID: st.Item.ID, Title: st.Item.Title, Lang: otherLang(st.Item.Language, lang), URL: webURL(st.Item.URL),
		Date: st.Item.PublishedOn.String(), Day: dates.Day(lang, st.Item.PublishedOn.Time),
		Summary: paragraphs(st.Item.Summary), Tags: strings.Join(st.Tags, " · "),
	}
	if story.Lang != "" {
		story.In = fmt.Sprintf(msg(lang, "archive_story_in"), i18n.LanguageName(lang, story.Lang))
	}
	return story
}
