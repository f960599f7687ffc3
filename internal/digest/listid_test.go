package digest_test

import (
	"context"
	"mime"
	netmail "net/mail"
	"net/url"
	"strings"
	"testing"

	"newsdigest/internal/config"
	"newsdigest/internal/digest"
	"newsdigest/internal/mail"
	"newsdigest/internal/render"
	"newsdigest/internal/testenv"
)

// TestListIdOfAListNamedInSpanish sends a digest's headers, made from a
// MAIL_FROM whose name is Spanish (an accent, a comma), to a relay on
// loopback and reads List-Id as a reader's client does: the field is
// ASCII (RFC 5322; the message goes 7-bit to relays without SMTPUTF8),
// its phrase decodes to the list's name, and its id is a dot-atom.
func TestListIdOfAListNamedInSpanish(t *testing.T) {
	// A plain name stays as the docs show it.
	base, _ := url.Parse("https://news.example.org")
	plain := digest.MastheadOf(&config.Config{MailFrom: &netmail.Address{Name: "News Digest", Address: "digest@example.org"}, BaseURL: base})
	if plain.ListID != "News Digest <news-digest.news.example.org>" {
		t.Errorf("List-Id of News Digest: %q", plain.ListID)
	}
	for _, name := range []string{"Boletín de Migración", "Migración, Costa Rica", "新闻"} {
		t.Run(name, func(t *testing.T) {
			from := &netmail.Address{Name: name, Address: "digest@example.org"}
			m := digest.MastheadOf(&config.Config{MailFrom: from, BaseURL: base})
			srv := testenv.NewSMTPServer(t)
			p, err := mail.NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}, from, 1, mail.Timings{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(p.Close)
			msg := &mail.Message{Subject: "1 noticia nueva", Text: "Hola\n", Language: "es", Headers: m.Headers(7, "es")}
			if err := p.SendShared(context.Background(), mail.Prepare(msg, render.TokenPlaceholder), "a@example.org", "tok"); err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()[0]
			raw := got.Header("List-Id")
			for i := 0; i < len(raw); i++ {
				if raw[i] >= 0x80 {
					t.Fatalf("List-Id is not ASCII: %q", raw)
				}
			}
			phrase, id, ok := strings.Cut(raw, "<")
			if !ok || !strings.HasSuffix(id, ">") {
				t.Fatalf("List-Id %q: no <list-id>", raw)
			}
			id = strings.TrimSuffix(id, ">")
			if !strings.HasSuffix(id, ".news.example.org") || strings.HasPrefix(id, ".") || strings.Contains(id, "..") {
				t.Errorf("List-Id %q: id %q is not a dot-atom of BASE_URL's host", raw, id)
			}
			// The phrase is what a From's display name would be: parse it
			// as one to read it as a client does.
			addr, err := netmail.ParseAddress(strings.TrimSpace(phrase) + " <x@example.org>")
			if err != nil {
				t.Fatalf("List-Id %q: phrase does not parse: %v", raw, err)
			}
			if addr.Name != name {
				t.Errorf("List-Id %q: phrase reads %q, want %q", raw, addr.Name, name)
			}
			if dec, err := new(mime.WordDecoder).DecodeHeader(got.Header("Feedback-ID")); err != nil || dec != got.Header("Feedback-ID") {
				t.Errorf("Feedback-ID %q is not plain ASCII", got.Header("Feedback-ID"))
			}
		})
	}
}
