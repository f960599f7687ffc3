package digest

import (
	"cmp"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strings"
	"time"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// Masthead is what every digest of the desk carries around its stories:
// the list's name (MAIL_FROM's display name), the link to the whole digest
// on the web, the date (the edition's day in DIGEST_TZ), the footer's links
// and postal address, and the cap on the stories of an email. The send
// path, the web digest, and the console's previews and test sends all lay
// their digest out here, so that a preview shows what the mail holds.
type Masthead struct {
	BaseURL       string // no trailing slash
	ListName      string
	ListID        string // e.g. "News Digest <news-digest.news.example.org>"
	PostalAddress string
	// Zone is DIGEST_TZ: an edition is dated by its day there, the day
	// its editors scheduled it for. Nil is UTC.
	Zone *time.Location
	// StoryLink, when set (CLICK_COUNTING on), is the counted link of a
	// story of an edition, which a mail's story titles carry instead of
	// the story's own address (package clicks).
	StoryLink func(editionID, itemID int64) string
	// Frequency is how often the desk's own readers get a digest
	// (schedule.DeskFrequency): an issue that names no reader's
	// (Issue.Frequency) is worded for them, as previews and the web
	// digest are. Empty is weekly.
	Frequency string
}

// MastheadOf reads the masthead from the configuration.
func MastheadOf(cfg *config.Config) Masthead {
	name := cfg.MailFrom.Name
	if name == "" {
		name = render.DefaultListName
	}
	id := listSlug(name)
	if id == "" {
		// A name with no Latin letter or digit: the address's.
		id = cmp.Or(listSlug(cfg.MailFrom.Address[:max(strings.LastIndexByte(cfg.MailFrom.Address, '@'), 0)]), "list")
	}
	return Masthead{
		BaseURL:       cfg.BaseURL.String(),
		ListName:      name,
		ListID:        fmt.Sprintf("%s <%s.%s>", listPhrase(name), id, cfg.BaseURL.Hostname()),
		PostalAddress: cfg.OrgPostalAddress,
		Zone:          cfg.DigestTZ,
	}
}

// listSlug is name in the letters a List-Id's id may hold: ASCII letters
// made lower case and digits, anything else a hyphen, none at either end.
func listSlug(name string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, name), "-")
}

// listPhrase is the list's name as List-Id's phrase (RFC 2919): as it is
// when it is words of plain ASCII letters, else quoted or, when it is not
// ASCII, encoded (RFC 2047) as a From's display name is. A header goes
// as ASCII: a relay without SMTPUTF8 takes no other; and a comma or a
// parenthesis is no part of a phrase unquoted.
func listPhrase(name string) string {
	plain := true
	for _, r := range name {
		if !(r == ' ' || r < 0x7f && r > ' ' && !strings.ContainsRune(`()<>[]:;@\,."`, r)) {
			plain = false
			break
		}
	}
	if plain {
		return name
	}
	a := (&netmail.Address{Name: name, Address: "list@invalid"}).String()
	return a[:strings.LastIndex(a, " <")]
}

// Issue is one digest to frame: its stories as matched, and the edition
// it belongs to (EditionID 0 for a preview of the latest stories, dated
// At).
type Issue struct {
	EditionID int64
	At        time.Time // the edition's time (domain.Edition.Time)
	Language  string
	Sections  []Section
	Items     []domain.Item // the stories the sections name (hidden ones left out)
	Tax       *taxonomy.Taxonomy
	// Stories, when set, are Items made ready with Tax (NewStories), once
	// for every digest of the edition (its links are this edition's):
	// the send path's.
	Stories *Stories
	// ViewToken opens this digest on the web (domain.DigestGroup.ViewToken);
	// empty for a digest no group holds (a preview of a filter), whose
	// web link then carries render.TokenPlaceholder.
	ViewToken string
	// Frequency is the reader's (render.Digest.Frequency): a mail's
	// words about older stories follow it. Empty is weekly.
	Frequency string
	// Day is the edition's date (YYYY-MM-DD) as its readers see it, in
	// their own time zone; empty: its day in the desk's (Masthead.Day).
	Day string
}

// Email lays an issue out as its mail: at most MaxEmailStories stories,
// and a link to the whole digest on the web when some are left out (and
// for the stories without a link of their own). The links carry
// render.TokenPlaceholder where the reader's token goes.
func (m Masthead) Email(is Issue) render.Digest {
	return m.EmailWithin(is, MaxEmailStories)
}

// EmailWithin is Email with at most max stories (fewer than the cap when
// the mail would otherwise pass the size at which Gmail clips it): the
// lowest-ranked of each section are left to the web digest.
func (m Masthead) EmailWithin(is Issue, max int) render.Digest {
	sections, omitted := LimitSections(is.Sections, min(max, MaxEmailStories))
	is = is.ready()
	links := storyLinks{fewer: m.fewerLink}
	if m.StoryLink != nil && is.EditionID != 0 {
		sign := func(itemID int64) string { return m.StoryLink(is.EditionID, itemID) }
		links.story = func(itemID int64) string { return is.Stories.storyLink(itemID, sign) }
	}
	d := m.frameWith(is, sections, links)
	d.Omitted = omitted
	return d
}

// fewerLink is a story's "fewer like this" link in a section that names
// one of the reader's choices, one they can drop: a page of the reader's preferences, so it
// carries render.TokenPlaceholder (docs/privacy.md, "The links").
func (m Masthead) fewerLink(sec Section) string {
	if sec.Fixed {
		return ""
	}
	switch sec.Kind {
	case KindCountry, KindTopic:
		return m.BaseURL + "/preferences/" + render.TokenPlaceholder + "/fewer/" + sec.Kind + "/" + url.PathEscape(sec.Key)
	}
	return ""
}

// Web lays an issue out as the web digest: every story, whole. Anyone a
// reader forwards it to may read it, so it carries no reader's links
// (preferences, unsubscribe), and offers the subscription form in the
// digest's language instead.
func (m Masthead) Web(is Issue) render.Digest {
	d := m.frame(is, is.Sections)
	d.Full = true
	d.ViewURL, d.UnsubscribeURL, d.PreferencesURL = "", "", ""
	d.SubscribeURL = m.BaseURL + "/?lang=" + url.QueryEscape(d.Language)
	return d
}

func (m Masthead) frame(is Issue, sections []Section) render.Digest {
	return m.frameWith(is, sections, storyLinks{})
}

// ready returns the issue with its Stories made, if it came without.
func (is Issue) ready() Issue {
	if is.Stories == nil {
		is.Stories = NewStories(is.Tax, is.Items)
	}
	return is
}

func (m Masthead) frameWith(is Issue, sections []Section, links storyLinks) render.Digest {
	d := buildDigest(is.ready().Stories, is.Language, sections, links)
	view := is.ViewToken
	if view == "" {
		view = render.TokenPlaceholder
	}
	d.ViewURL = ViewURL(m.BaseURL, is.EditionID, view)
	d.ListName = m.ListName
	d.EditionDate = cmp.Or(is.Day, m.Day(is.At))
	d.UnsubscribeURL = m.BaseURL + "/unsubscribe/" + render.TokenPlaceholder
	d.PreferencesURL = m.BaseURL + "/preferences/" + render.TokenPlaceholder
	d.PostalAddress = m.PostalAddress
	d.Frequency = cmp.Or(is.Frequency, m.Frequency)
	return d
}

// Day is the date (YYYY-MM-DD) of a moment in the desk's time zone.
func (m Masthead) Day(t time.Time) string {
	zone := m.Zone
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format(domain.DateLayout)
}

// Headers are the list headers of an edition's mail (RFC 2369, 2919,
// 8058), with render.TokenPlaceholder where the reader's token goes.
func (m Masthead) Headers(editionID int64, language string) map[string]string {
	return map[string]string{
		"List-Id":               m.ListID,
		"Feedback-ID":           m.FeedbackID(editionID, language),
		"List-Unsubscribe":      "<" + m.BaseURL + "/unsubscribe/" + render.TokenPlaceholder + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"X-Newsdigest-Edition":  fmt.Sprint(editionID),
	}
}

// FeedbackID is a digest's Feedback-ID (Gmail's feedback loop): the
// edition, the language and the list, then the sender (BASE_URL's host),
// so that Postmaster Tools reports complaints per edition, per language
// and per list. It is the same for every reader of an edition in one
// language: a per-reader value would let the report name a person.
func (m Masthead) FeedbackID(editionID int64, language string) string {
	list := m.ListID
	if i, j := strings.IndexByte(list, '<'), strings.IndexByte(list, '>'); i >= 0 && j > i {
		list = list[i+1 : j]
	}
	host := m.BaseURL
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	host, _, _ = strings.Cut(host, "/")
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == ':' || r <= ' ' || r > '~' {
				return '-'
			}
			return r
		}, s)
	}
	return fmt.Sprintf("edition-%d:%s:%s:%s", editionID, clean(language), clean(list), clean(host))
}

// ViewURL is the address of a digest of an edition on the web, every
// story whole, opened by its group's view token (domain.DigestGroup).
func ViewURL(baseURL string, editionID int64, viewToken string) string {
	return fmt.Sprintf("%s/digest/%d/%s", baseURL, editionID, viewToken)
}
