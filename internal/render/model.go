// Package render turns a digest or a confirmation request into an email:
// subject, HTML and plain text, from the templates in templates/email.
package render

import "slices"

// TokenPlaceholder stands where a subscriber's token goes in the links of a
// rendered digest. A group's digest is rendered once with it and each
// subscriber's copy made by putting the token at the offsets the Message
// records (WithToken, or the mailer's prepared messages): never by replacing
// every occurrence, since a story may contain the placeholder too. It
// contains only characters that neither HTML nor URL escaping change.
const TokenPlaceholder = "NDTOKENPLACEHOLDER"

// Digest is what one group of subscribers receives in one edition.
type Digest struct {
	Language       string    // a language of the catalogue: "en", "es", "fr"…
	ListName       string    // e.g. "News Digest"
	EditionDate    string    // the day the edition was made, YYYY-MM-DD
	Sections       []Section // in the order they appear
	UnsubscribeURL string    // contains TokenPlaceholder; empty only on the web (Full)
	PreferencesURL string    // contains TokenPlaceholder; empty only on the web (Full)
	PostalAddress  string    // ORG_POSTAL_ADDRESS; may be empty
	// Omitted counts the matching stories left out of this email to keep it
	// short; ViewURL shows them all on the web (opened by the group's view
	// token, never a reader's), and is where a story without a URL of its
	// own links (at its Anchor).
	Omitted int
	ViewURL string
	// Full shows every summary whole, for the web view; an email shows the
	// start of each.
	Full bool
	// SubscribeURL, on the web view, is the subscription form, which its
	// footer offers in place of the email's "you receive this because you
	// subscribed": anyone a reader forwards it to may read it.
	SubscribeURL string
	// Frequency is how often the reader gets a digest (domain.Frequency*):
	// a digest whose stories all came out before the reader's last period
	// (the last day, week, two weeks) says so in its words. Empty is
	// weekly, the desk's usual.
	Frequency string
}

// Section is one heading of a digest: a chosen country, a chosen topic, or
// the regional stories.
type Section struct {
	Title string
	Items []Item
	// SubjectName names the section in the subject when its title would
	// say little there: the Regional section is named by its regions
	// ("1 new story: Central America", not ": Regional").
	SubjectName string
}

// Item is one story as it is shown in an email.
type Item struct {
	Title       string
	Summary     string
	URL         string   // http(s) only; empty when the story has no link
	PublishedOn string   // YYYY-MM-DD
	Tags        []string // country and topic names, in the digest's language
	// Anchor names the story on the web digest (letters, digits, hyphens),
	// where the email links a story that has no URL of its own.
	Anchor string
	// FewerURL, in an email, is the story's "fewer like this" link: the
	// reader's page to drop the section's country or topic. It contains
	// TokenPlaceholder; empty for none.
	FewerURL string
	// Language is the language the story is written in ("en"), when it
	// is known: a story in another language than the digest's has its
	// title and summary marked with it, so that a screen reader reads
	// them with that language's sounds.
	Language string
}

// Confirmation is the double opt-in mail.
type Confirmation struct {
	Language      string
	ListName      string
	ConfirmURL    string
	PostalAddress string
}

// Message is a rendered email body.
type Message struct {
	Subject string
	HTML    string
	Text    string
	// HTMLTokens and TextTokens are the byte offsets in HTML and Text, in
	// increasing order, of each TokenPlaceholder that stands for the
	// subscriber's token in a link of the digest's own. A placeholder
	// anywhere else came with the content and is not a token. The Subject
	// never carries one.
	HTMLTokens []int
	TextTokens []int
}

// WithToken returns a copy of m with token at its token offsets; the copy
// has none left.
func (m Message) WithToken(token string) Message {
	return Message{
		Subject: m.Subject,
		HTML:    splice(m.HTML, m.HTMLTokens, token),
		Text:    splice(m.Text, m.TextTokens, token),
	}
}

// equal reports whether m and o are the same message, token offsets
// included.
func (m Message) equal(o Message) bool {
	return m.Subject == o.Subject && m.HTML == o.HTML && m.Text == o.Text &&
		slices.Equal(m.HTMLTokens, o.HTMLTokens) && slices.Equal(m.TextTokens, o.TextTokens)
}
