package render

import (
	"context"
	netmail "net/mail"
	"strings"
	"testing"

	"newsdigest/internal/config"
	"newsdigest/internal/mail"
	"newsdigest/internal/testenv"
)

// TestDigestWithAQuotedTitleGoesEightBit sends a Spanish digest whose
// first stories have titles as the desk writes them (quotes, an
// ampersand, accents, a dash) through a relay on loopback that offers
// 8BITMIME, and checks that both parts went 8-bit. The preheader, and
// the padding after it, were one line of the HTML that such titles took
// past SMTP's 998 bytes; the whole message then went quoted-printable,
// some 7% heavier (a big digest: 104 KB became 111 KB), nearer the size
// limit that leaves stories out of the mail.
func TestDigestWithAQuotedTitleGoesEightBit(t *testing.T) {
	r := mustNew(t)
	d := sampleDigest("es")
	d.Sections[0].Items = nil
	for _, title := range []string{
		`OIM y ACNUR: “Movimientos mixtos” & “caravanas” en el Darién — niñez migrante`,
		`Países de la CRM analizan la gestión de flujos migratorios masivos, conocidos como "caravanas"`,
		`México: agencias de la ONU promueven la inclusión laboral de personas migrantes`,
	} {
		d.Sections[0].Items = append(d.Sections[0].Items, Item{Title: title, Summary: "Resumen.", URL: "https://example.org/a", PublishedOn: "2026-01-02"})
	}
	m := mustDigest(t, r, d)
	srv := testenv.NewSMTPServer(t)
	from := &netmail.Address{Name: "Boletín", Address: "digest@example.org"}
	p, err := mail.NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}, from, 1, mail.Timings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	msg := &mail.Message{Subject: m.Subject, HTML: m.HTML, Text: m.Text, HTMLTokens: m.HTMLTokens, TextTokens: m.TextTokens, Language: "es"}
	if err := p.SendShared(context.Background(), mail.Prepare(msg, TokenPlaceholder), "a@example.org", "tok"); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()[0]
	if got.Body != "8BITMIME" {
		t.Errorf("sent with BODY=%q, want 8BITMIME", got.Body)
	}
	raw := string(got.Raw)
	if n := strings.Count(raw, "Content-Transfer-Encoding: 8bit"); n != 2 {
		t.Errorf("%d parts went 8bit, want both; quoted-printable: %d", n, strings.Count(raw, "Content-Transfer-Encoding: quoted-printable"))
	}
	for i, line := range strings.Split(m.HTML, "\n") {
		if len(line) > 998 {
			t.Errorf("HTML line %d is %d bytes: %.80s…", i+1, len(line), line)
		}
	}
}
