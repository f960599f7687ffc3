package mail

import (
	"context"
	netmail "net/mail"
	"testing"

	"newsdigest/internal/testenv"
)

// TestPoolNamesTheSenderPerLanguage: with NameFrom, each message's From
// line names the list as the desk set it for the message's language,
// encoded as a header must be, with MAIL_FROM's address; a message
// without a language, or a language given no name, keeps MAIL_FROM.
func TestPoolNamesTheSenderPerLanguage(t *testing.T) {
	t.Parallel()
	srv := testenv.NewSMTPServer(t)
	p := newTestPool(t, srv, 1)
	p.NameFrom(func(lang string) string {
		return map[string]string{"es": "Resumen de noticias", "fr": `Résumé "l’actu", OIM`}[lang]
	})
	ctx := context.Background()
	for _, m := range []struct{ to, lang, want string }{
		{"es@example.org", "es", "Resumen de noticias"},
		{"fr@example.org", "fr", `Résumé "l’actu", OIM`},
		{"fr2@example.org", "fr", `Résumé "l’actu", OIM`}, // the line made once, kept
		{"en@example.org", "en", "News Digest"},
		{"none@example.org", "", "News Digest"},
	} {
		if err := p.Send(ctx, &Message{To: m.to, Subject: "s", Text: "t", Language: m.lang}); err != nil {
			t.Fatalf("send to %s: %v", m.to, err)
		}
		got := srv.To(m.to)
		if len(got) != 1 {
			t.Fatalf("%s: %d messages", m.to, len(got))
		}
		a, err := (&netmail.AddressParser{}).Parse(got[0].Header("From"))
		if err != nil {
			t.Fatalf("%s: From %q: %v", m.to, got[0].Header("From"), err)
		}
		if a.Name != m.want || a.Address != "digest@example.org" {
			t.Errorf("%s (%s): From %q <%s>, want %q <digest@example.org>", m.to, m.lang, a.Name, a.Address, m.want)
		}
	}
}
