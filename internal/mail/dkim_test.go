package mail

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/emersion/go-msgauth/dkim"

	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

// dkimKeys makes an RSA 2048 and an Ed25519 key under selectors "rsa" and
// "ed", and the DNS TXT records that publish them.
func dkimKeys(t *testing.T) (*config.DKIM, map[string]string) {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaPub, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d := &config.DKIM{Domain: "example.org", Keys: []config.DKIMKey{
		{Selector: "rsa", Signer: rsaKey},
		{Selector: "ed", Signer: edKey},
	}}
	txt := map[string]string{
		"rsa._domainkey.example.org": "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(rsaPub),
		"ed._domainkey.example.org":  "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(edPub),
	}
	return d, txt
}

// verify checks raw's DKIM signatures against the records in txt.
func verify(t *testing.T, raw []byte, txt map[string]string) []*dkim.Verification {
	t.Helper()
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: func(name string) ([]string, error) {
			if r, ok := txt[name]; ok {
				return []string{r}, nil
			}
			return nil, fmt.Errorf("no TXT record at %s", name)
		},
	})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return vs
}

// TestPoolSignsWithDKIM sends a digest-like message, token spliced in per
// recipient, through a pool signing with an RSA and an Ed25519 key, and
// verifies both signatures of every copy with go-msgauth's verifier,
// over 8-bit and quoted-printable bodies. A copy whose Subject or body
// was changed on the way must fail.
func TestPoolSignsWithDKIM(t *testing.T) {
	t.Parallel()
	d, txt := dkimKeys(t)
	for _, tc := range []struct {
		name string
		hide []string
	}{{"8bit", nil}, {"quoted-printable", []string{"8BITMIME"}}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testenv.NewSMTPServer(t)
			srv.Hide(tc.hide...)
			p := newTestPool(t, srv, 1)
			p.SignWith(d)
			text := "Hola — noticias\nBaja: https://x.example/u/TOKEN\n"
			html := "<p>Hola — noticias</p><a href=\"https://x.example/u/TOKEN\">baja</a>\n"
			s := Prepare(&Message{
				Subject: "6 noticias esta semana: Costa Rica, Panamá", HTML: html, Text: text, Language: "es",
				Headers: map[string]string{
					"List-Id":               "<news.example.org>",
					"List-Unsubscribe":      "<https://x.example/u/TOKEN>",
					"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
				},
				TextTokens: []int{strings.Index(text, "TOKEN")}, HTMLTokens: []int{strings.Index(html, "TOKEN")},
			}, "TOKEN")
			for _, to := range []string{"a@example.org", "b@example.org"} {
				if err := p.SendShared(context.Background(), s, to, "tok-"+to[:1]); err != nil {
					t.Fatal(err)
				}
			}
			msgs := srv.Messages()
			if len(msgs) != 2 {
				t.Fatalf("got %d messages", len(msgs))
			}
			for _, m := range msgs {
				vs := verify(t, m.Raw, txt)
				var algos []string
				for _, v := range vs {
					if v.Err != nil {
						t.Errorf("%s: signature by %s does not verify: %v", m.To, v.Domain, v.Err)
					}
					if v.Domain != "example.org" {
						t.Errorf("signed by %q", v.Domain)
					}
					for _, h := range []string{"From", "To", "Subject", "Date", "Message-Id", "List-Unsubscribe", "List-Unsubscribe-Post"} {
						if !slices.ContainsFunc(v.HeaderKeys, func(k string) bool { return strings.EqualFold(k, h) }) {
							t.Errorf("the signature does not cover %s (h=%v)", h, v.HeaderKeys)
						}
					}
				}
				for _, f := range m.Msg.Header["Dkim-Signature"] {
					for _, tag := range strings.Split(f, ";") {
						if tag = strings.Join(strings.Fields(tag), ""); strings.HasPrefix(tag, "a=") {
							algos = append(algos, tag[2:])
						}
					}
				}
				slices.Sort(algos)
				if want := []string{"ed25519-sha256", "rsa-sha256"}; !slices.Equal(algos, want) || len(vs) != 2 {
					t.Errorf("%d signatures with algorithms %v, want %v", len(vs), algos, want)
				}
				for what, changed := range map[string][]byte{
					"subject": bytes.Replace(m.Raw, []byte("Subject: "), []byte("Subject: Re: "), 1),
					"body":    bytes.Replace(m.Raw, []byte("tok-"), []byte("tik-"), 1),
				} {
					for _, v := range verify(t, changed, txt) {
						if v.Err == nil {
							t.Errorf("a copy with its %s changed still verifies", what)
						}
					}
				}
			}
		})
	}
}

// TestPoolUnsignedWithoutDKIM: no keys, no signature.
func TestPoolUnsignedWithoutDKIM(t *testing.T) {
	t.Parallel()
	srv := testenv.NewSMTPServer(t)
	p := newTestPool(t, srv, 1)
	p.SignWith(nil)
	if err := p.Send(context.Background(), &Message{To: "a@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages()[0].Header("DKIM-Signature"); got != "" {
		t.Errorf("DKIM-Signature = %q without keys", got)
	}
}

// BenchmarkDKIMSign is the cost of signing one digest-sized message
// (55 KB, as a digest averages) with each key and with both.
func BenchmarkDKIMSign(b *testing.B) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	var msg bytes.Buffer
	msg.WriteString("From: News Digest <digest@example.org>\r\nTo: <a@example.org>\r\nSubject: 8 stories this week\r\n" +
		"Date: Mon, 30 Nov 2026 07:00:00 +0000\r\nMessage-ID: <1@example.org>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n")
	for msg.Len() < 55<<10 {
		msg.WriteString("<tr><td style=\"padding:14px 24px 0;\">Officials and partners met to discuss regular pathways.</td></tr>\r\n")
	}
	for _, tc := range []struct {
		name string
		keys []config.DKIMKey
	}{
		{"rsa2048", []config.DKIMKey{{Selector: "rsa", Signer: rsaKey}}},
		{"ed25519", []config.DKIMKey{{Selector: "ed", Signer: edKey}}},
		{"both", []config.DKIMKey{{Selector: "rsa", Signer: rsaKey}, {Selector: "ed", Signer: edKey}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := newSigner(&config.DKIM{Domain: "example.org", Keys: tc.keys})
			var out []byte
			b.SetBytes(int64(msg.Len()))
			cpu := cpuTime()
			for b.Loop() {
				if out, err = s.appendSigned(out[:0], msg.Bytes()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
	// The same two signatures by go-msgauth's signer, which hashes the
	// body once per key: what this package's signer replaced.
	b.Run("both-go-msgauth", func(b *testing.B) {
		var opts []dkim.SignOptions
		for _, k := range []crypto.Signer{rsaKey, edKey} {
			opts = append(opts, dkim.SignOptions{Domain: "example.org", Selector: "s", Signer: k,
				HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationSimple,
				HeaderKeys: signedHeaders})
		}
		cpu := cpuTime()
		for b.Loop() {
			for i := range opts {
				if err := dkim.Sign(io.Discard, bytes.NewReader(msg.Bytes()), &opts[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
	// The key operations alone, on a SHA-256 as DKIM signs one: what
	// signing with both keys cannot cost less than.
	b.Run("keys-only", func(b *testing.B) {
		sum := sha256.Sum256(msg.Bytes()[:1024])
		cpu := cpuTime()
		for b.Loop() {
			if _, err := rsaKey.Sign(rand.Reader, sum[:], crypto.SHA256); err != nil {
				b.Fatal(err)
			}
			if _, err := edKey.Sign(rand.Reader, sum[:], crypto.Hash(0)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	})
}

// cpuTime is the CPU time this process has used, in nanoseconds: on a
// shared machine it moves less than the wall clock.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
