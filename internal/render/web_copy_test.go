package render

import (
	"fmt"
	"html"
	"strings"
	"testing"

	"newsdigest/internal/i18n"
)

// TestWebCopyOffersToSubscribe: the web copy of a digest reached nobody
// by mail, and whoever it was forwarded to may not be subscribed: its
// footer links to the subscription form, in the digest's language,
// where an email says why it came.
func TestWebCopyOffersToSubscribe(t *testing.T) {
	r := mustNew(t)
	for _, lang := range []string{"en", "es", "fr"} {
		why := fmt.Sprintf(i18n.Text(lang, "mail.digest_why"), "News Digest")
		offer := fmt.Sprintf(i18n.Text(lang, "mail.web_subscribe"), "News Digest")
		subscribe := "https://news.example.org/?lang=" + lang

		web := testDigest(lang)
		web.Full, web.SubscribeURL = true, subscribe
		web.UnsubscribeURL, web.PreferencesURL = "", ""
		m := mustDigest(t, r, web)
		page := html.UnescapeString(m.HTML)
		if strings.Contains(page, why) {
			t.Errorf("%s: the web copy says %q", lang, why)
		}
		if want := `<a href="` + subscribe + `" class="nd-a" style="color:#0b5cad;text-decoration:underline;">` + offer + `</a>`; !strings.Contains(page, want) {
			t.Errorf("%s: the web copy's footer lacks %s:\n%s", lang, want, page[strings.LastIndex(page, `class="nd-f"`):])
		}

		mail := mustDigest(t, r, testDigest(lang))
		if page := html.UnescapeString(mail.HTML); !strings.Contains(page, why) || strings.Contains(page, offer) {
			t.Errorf("%s: the email's footer does not say why it came, or offers to subscribe", lang)
		}
		if !strings.Contains(mail.Text, why) || strings.Contains(mail.Text, offer) {
			t.Errorf("%s: the email's text footer does not say why it came, or offers to subscribe", lang)
		}
	}
}
