package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/taxonomy"
)

// FeedSize is how many of the latest archived stories a feed holds.
const FeedSize = 50

// The RSS 2.0 document. encoding/xml escapes every text, so a title with
// "<" or "&" stays a title.
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	Description string   `xml:"description"`
	PubDate     string   `xml:"pubDate"`
	GUID        rssGUID  `xml:"guid"`
	Categories  []string `xml:"category"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// countryFeed is /feeds/country/{code}.xml.
func (s *Server) countryFeed(c *gin.Context) {
	code, ok := strings.CutSuffix(c.Param("file"), ".xml")
	if !ok || code == "" {
		s.notFound(c)
		return
	}
	code = strings.ToUpper(code) // "hn.xml" is Honduras's feed
	s.feed(c, editions.ArchiveQuery{Country: code}, func(tax *taxonomy.Taxonomy, lang string) (string, string) {
		ct, _ := tax.Country(code)
		return ct.Name(lang), archivePath(lang, code, "", "")
	})
}

// topicFeed is /feeds/topic/{slug}.xml.
func (s *Server) topicFeed(c *gin.Context) {
	slug, ok := strings.CutSuffix(c.Param("file"), ".xml")
	if !ok || slug == "" {
		s.notFound(c)
		return
	}
	slug = strings.ToLower(slug)
	s.feed(c, editions.ArchiveQuery{Topic: slug}, func(tax *taxonomy.Taxonomy, lang string) (string, string) {
		t, _ := tax.Topic(slug)
		return t.Name(lang), archivePath(lang, "", slug, "")
	})
}

// feed answers the RSS of the latest archived stories for q; name gives
// the country's or topic's name and its archive page. Feed readers send
// no Accept-Language worth trusting, so only ?lang= changes the language.
func (s *Server) feed(c *gin.Context, q editions.ArchiveQuery, name func(*taxonomy.Taxonomy, string) (string, string)) {
	lang := feedLang(c)
	ctx := c.Request.Context()
	q.Language, q.Limit = lang, FeedSize
	page, err := s.editions.Archive(ctx, q)
	if err == nil {
		var tax *taxonomy.Taxonomy
		if tax, err = s.taxonomy(ctx); err == nil {
			title, archive := name(tax, lang)
			s.writeFeed(c, lang, page, title, archive)
			return
		}
	}
	if errs.KindOf(err) == errs.NotFound {
		s.notFound(c)
		return
	}
	s.log.Error("feed failed", "path", c.Request.URL.Path, "err", err)
	c.String(http.StatusServiceUnavailable, "feed unavailable, try again later")
}

// feedLang is a feed's language: ?lang= when it names one, else English.
func feedLang(c *gin.Context) string {
	if l := c.Query("lang"); domain.IsLanguage(l) {
		return l
	}
	return "en"
}

func (s *Server) writeFeed(c *gin.Context, lang string, page editions.ArchivePage, title, archive string) {
	list := digest.MastheadOf(s.cfg).ListName
	if s.listNames != nil {
		list = s.listNames.Name(lang)
	}
	doc := rssDoc{Version: "2.0", Channel: rssChannel{
		Title:       fmt.Sprintf(msg(lang, "feed_title"), list, title),
		Link:        s.cfg.URL(archive),
		Description: fmt.Sprintf(msg(lang, "feed_description"), title, list),
		Language:    lang,
	}}
	var newest time.Time
	for _, st := range page.Stories {
		it := st.Item
		anchor := "#item-" + strconv.FormatInt(it.ID, 10)
		guid := s.cfg.URL("/archive" + anchor)
		link := webURL(it.URL)
		if link == "" {
			// The archive's page that starts at this story, in the feed's
			// language and subject: its first page holds only the newest.
			from := domain.ItemCursor{PublishedOn: it.PublishedOn, ID: it.ID + 1}
			link = s.cfg.URL(archive + "&before=" + from.Encode() + anchor)
		}
		// A story has a day, not a moment: midday of it in the desk's
		// zone, which a reader's feed shows as that day anywhere from
		// eleven hours west of the desk to eleven east (at midnight UTC
		// every story read as the day before in the Americas).
		y, m, d := it.PublishedOn.Time.Date()
		day := time.Date(y, m, d, 12, 0, 0, 0, s.cfg.DigestTZ)
		if day.After(newest) {
			newest = day
		}
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: it.Title, Link: link, Description: it.Summary,
			PubDate:    day.Format(time.RFC1123Z),
			GUID:       rssGUID{IsPermaLink: "false", Value: guid},
			Categories: st.Tags,
		})
	}
	if !newest.IsZero() {
		doc.Channel.LastBuildDate = newest.Format(time.RFC1123Z)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		s.log.Error("encode feed", "err", err)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	buf.WriteByte('\n')
	// The ETag lets a reader polling every few minutes get a 304 when
	// nothing changed.
	sum := sha256.Sum256(buf.Bytes())
	h := c.Writer.Header()
	h.Set("Content-Type", "application/rss+xml; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(buf.Bytes()))
}
