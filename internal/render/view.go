package render

import (
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// The views are what the templates see: every string already chosen,
// translated and cleaned, so the templates only lay things out.

// page is what the layout of every email needs.
type page struct {
	Lang      string
	Subject   string
	Preheader string
	ListName  string
	Footer    footer
	Colon     string // ui.Colon
	Role      string // ui.Role
}

// footer is the bottom block of every email.
type footer struct {
	Why              string // why the email came; empty on the web
	SubscribeLabel   string // the web copy's link to subscribe, in place of Why
	SubscribeURL     string
	PreferencesLabel string
	PreferencesURL   string
	UnsubscribeLabel string
	UnsubscribeURL   string
	Postal           []string // the postal address, one line each
	Colon            string   // ui.Colon
}

type digestView struct {
	page
	Date     string
	Intro    string
	Sections []renderedItem // each section rendered whole
	ViewAll  string         // label of the link to every story; empty when all are here
	ViewURL  string
}

// sectionView is what the section template sees.
type sectionView struct {
	Title string
	Items []renderedItem
}

// renderedItem is one story (or section) already rendered for a language.
type renderedItem struct {
	HTML htmltemplate.HTML
	Text string
	// hasView: it holds the renderer's view mark where its digest's view
	// URL goes (a story without a source of its own links there).
	hasView bool
	// section, instead of HTML and Text, is a section of a framed
	// digest, laid out as the digest is filled (framedSection).
	section *framedSec
}

type itemView struct {
	// Lang is the story's language when it is not the digest's (its
	// title and summary say so); empty otherwise.
	Lang    string
	Title   string
	URL     string   // the story's source, else the story on the web digest
	Anchor  string   // the story's id on the web digest, which the email links to
	Date    string   // in the digest's language
	In      string   // for a story in another language than the digest's, which: "in Spanish"
	Summary []string // paragraphs
	Tags    string
	// Fewer is the "fewer like this" link, token marked; FewerLabel its words.
	Fewer      string
	FewerLabel string
	Colon      string // ui.Colon
}

type confirmView struct {
	page
	Heading    string
	Body       string
	Button     string
	Fallback   string
	Ignore     string
	ConfirmURL string
}

// preheaderMax is about what inbox previews show; more is cut off anyway.
const preheaderMax = 140

// newDigestView lays out a digest; frags renders its sections and stories
// (from a cache, mostly).
func newDigestView(d Digest, lang string, s ui, frags *fragments) (digestView, error) {
	v := digestView{
		page: page{
			Lang:     lang,
			ListName: d.ListName,
			Colon:    s.Colon,
			Role:     s.Role,
			Footer: footer{
				Colon:            s.Colon,
				Why:              fmt.Sprintf(s.DigestWhy, d.ListName),
				PreferencesLabel: s.Preferences,
				PreferencesURL:   d.PreferencesURL,
				UnsubscribeLabel: s.Unsubscribe,
				UnsubscribeURL:   d.UnsubscribeURL,
				Postal:           lines(d.PostalAddress),
			},
		},
		Date:     formatDate(lang, d.EditionDate),
		Sections: make([]renderedItem, 0, len(d.Sections)),
	}
	if d.Full {
		// Nobody received the web copy: it offers to subscribe instead.
		v.Footer.Why = ""
		if isHTTPURL(d.SubscribeURL) {
			v.Footer.SubscribeURL, v.Footer.SubscribeLabel = d.SubscribeURL, fmt.Sprintf(s.WebSubscribe, d.ListName)
		}
	}
	count := 0
	var titles, names []string
	for _, sec := range d.Sections {
		if len(sec.Items) == 0 {
			continue
		}
		rs, err := frags.section(sec, d.Full)
		if err != nil {
			return v, err
		}
		for _, it := range sec.Items {
			if len(titles) >= 8 { // the preheader shows a few at most
				break
			}
			titles = append(titles, oneLine(it.Title))
		}
		count += len(sec.Items)
		name := sec.Title
		if sec.SubjectName != "" {
			name = sec.SubjectName
		}
		names = append(names, oneLine(name))
		v.Sections = append(v.Sections, rs)
	}
	if isHTTPURL(d.ViewURL) {
		v.ViewURL, v.ViewAll = d.ViewURL, s.ViewWeb
	}
	// A digest of stories all older than the reader's period (a back
	// catalogue the desk chose to send) does not call them the period's
	// news: it says they came out before it, in the words of the reader's
	// frequency ("before yesterday", "before this week").
	period := periodOf(d.Frequency)
	earlier := count > 0 && !anyRecent(d, period.days)
	switch {
	case d.Omitted > 0 && v.ViewURL != "" && earlier:
		v.Intro = s.countOf("stories_some_earlier_"+period.name, count, count+d.Omitted)
		v.ViewAll = s.count("view_more_count", d.Omitted)
	case d.Omitted > 0 && v.ViewURL != "":
		v.Intro = s.countOf("stories_some", count, count+d.Omitted)
		v.ViewAll = s.count("view_more_count", d.Omitted)
	case count == 0:
		v.Intro = s.StoriesNone
	case earlier:
		v.Intro = s.count("stories_count_earlier_"+period.name, count)
	default:
		v.Intro = s.count("stories_count", count)
	}
	v.Subject = digestSubject(s, lang, count+d.Omitted, names, earlier)
	v.Preheader = truncate(strings.Join(append([]string{v.Intro}, titles...), " · "), preheaderMax)
	return v, nil
}

// period is a reader's frequency as a digest's words know it: its name
// in the catalogue's keys (mail.stories_count_earlier_daily) and how far
// before the edition's day a story still counts as the period's news.
type period struct {
	name string
	days int
}

// periods are the frequencies a reader may choose (domain.Frequency*).
var periods = map[string]period{
	domain.FrequencyDaily:    {domain.FrequencyDaily, 1},
	domain.FrequencyWeekly:   {domain.FrequencyWeekly, 7},
	domain.FrequencyBiweekly: {domain.FrequencyBiweekly, 14},
}

// periodOf is the period of frequency; weekly for any other.
func periodOf(frequency string) period {
	if p, ok := periods[frequency]; ok {
		return p
	}
	return periods[domain.FrequencyWeekly]
}

// anyRecent reports whether a story of d is dated within days of the
// edition's day; a digest without dates (a story without one, or no
// edition day) is taken as the period's news, as it always was.
func anyRecent(d Digest, days int) bool {
	day, err := time.Parse("2006-01-02", d.EditionDate)
	if err != nil {
		return true
	}
	since := day.AddDate(0, 0, -days)
	for _, sec := range d.Sections {
		for _, it := range sec.Items {
			t, err := time.Parse("2006-01-02", it.PublishedOn)
			if err != nil || !t.Before(since) {
				return true
			}
		}
	}
	return false
}

// newItemView is what the story template sees: the whole summary, or
// (in an email) the start of it. A story with no source of its own links
// to itself on the web digest at viewURL, so that every title opens.
func newItemView(it Item, lang string, s ui, full bool, viewURL string) itemView {
	summary := paragraphs(it.Summary)
	link, anchor := linkURL(it.URL), anchorID(it.Anchor)
	if !full {
		summary = snippet(summary, snippetMax)
		if link == "" && anchor != "" && viewURL != "" {
			link = viewURL + "#" + anchor
		}
		anchor = "" // the id is for the web digest; mail clients drop it
	}
	v := itemView{
		Lang:    storyLang(it.Language, lang),
		Title:   oneLine(it.Title),
		URL:     link,
		Anchor:  anchor,
		Date:    formatDate(lang, it.PublishedOn),
		Summary: summary,
		Tags:    oneLine(strings.Join(it.Tags, " · ")),
		Colon:   s.Colon,
	}
	if v.Lang != "" {
		v.In = fmt.Sprintf(s.StoryIn, i18n.LanguageName(lang, v.Lang))
	}
	if !full && isHTTPURL(it.FewerURL) {
		v.Fewer, v.FewerLabel = it.FewerURL, s.Fewer
	}
	return v
}

func newConfirmView(c Confirmation, lang string, s ui) confirmView {
	return confirmView{
		page: page{
			Lang:      lang,
			Subject:   fmt.Sprintf(s.ConfirmSubject, c.ListName),
			Preheader: fmt.Sprintf(s.ConfirmPreview, c.ListName),
			ListName:  c.ListName,
			Colon:     s.Colon,
			Role:      s.Role,
			Footer: footer{
				Colon:  s.Colon,
				Why:    fmt.Sprintf(s.ConfirmWhy, c.ListName),
				Postal: lines(c.PostalAddress),
			},
		},
		Heading:    s.ConfirmHeading,
		Body:       fmt.Sprintf(s.ConfirmBody, c.ListName),
		Button:     s.ConfirmButton,
		Fallback:   s.ConfirmFallback,
		Ignore:     s.ConfirmIgnore,
		ConfirmURL: c.ConfirmURL,
	}
}

// linkURL returns raw if it is an absolute http(s) URL and "" otherwise.
// Ingest already refuses other schemes; checking again here means a bad row
// can never become a javascript: or data: link in someone's inbox.
func linkURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if !isHTTPURL(raw) {
		return ""
	}
	return raw
}

// IsHTTPURL reports whether raw is an absolute http(s) URL, the only
// links a digest holds.
func IsHTTPURL(raw string) bool { return isHTTPURL(raw) }

func isHTTPURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// formatDate spells a YYYY-MM-DD date out in the language of s, and returns
// anything it cannot parse as it is.
func formatDate(lang, iso string) string {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(iso))
	if err != nil {
		return oneLine(iso)
	}
	return dates.Day(lang, t)
}

// oneLine collapses every run of white space, newlines included, into one
// space, so that a title cannot break the layout of the text part (or pose
// as its footer), and drops bidirectional overrides, which would let a
// story show text in an order other than it is written ("gnp.exe").
func oneLine(s string) string {
	if strings.ContainsFunc(s, isBidiOverride) {
		s = strings.Map(func(r rune) rune {
			if isBidiOverride(r) {
				return -1
			}
			return r
		}, s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// isBidiOverride reports whether r is an embedding, override or isolate
// control (U+202A–U+202E, U+2066–U+2069).
func isBidiOverride(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// paragraphs splits text at blank lines and flattens each paragraph.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = oneLine(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// snippetMax is how much of a story's summary an email shows: enough to
// decide whether to read on, short enough that a week of stories stays a
// readable email (and under Gmail's 102 KB clipping).
const snippetMax = 320

// snippet keeps the first paragraph of a summary, cut to max runes.
func snippet(paras []string, max int) []string {
	if len(paras) == 0 {
		return nil
	}
	return []string{truncate(paras[0], max)}
}

// lines splits a postal address into its non-empty lines.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = oneLine(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// truncate cuts s to at most max runes, marking the cut with an
// ellipsis. It cuts between words (within a word only if the first half
// holds no space) and drops the punctuation the cut leaves at the end, so
// that no ",…" or " ·…" remains.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	cut := string(r[:max-1])
	if !unicode.IsSpace(r[max-1]) { // the cut falls inside a word: drop it
		if i := strings.LastIndexFunc(cut, unicode.IsSpace); i > len(cut)/2 {
			cut = cut[:i]
		}
	}
	cut = strings.TrimRightFunc(cut, func(c rune) bool {
		return unicode.IsSpace(c) || strings.ContainsRune(",;:.·-–—", c)
	})
	return cut + "…"
}

// storyLang is a story's language for its lang attribute: "" when it is
// the digest's or unknown, or not a plain language tag.
func storyLang(story, digest string) string {
	if story == "" || strings.EqualFold(story, digest) || len(story) > 35 {
		return ""
	}
	for _, c := range story {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return story
}

// anchorID keeps an anchor usable as an HTML id and a URL fragment as
// they are: letters, digits and hyphens, else nothing.
func anchorID(a string) string {
	for _, c := range a {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return a
}
