package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// baselineDistinct is how many different recipients the baseline cycles
// through; the messages are built once and sent again and again.
const baselineDistinct = 512

// runBaseline sends total messages of about size bytes to the sink over
// conns connections with go-mail and nothing else: no database, no queue,
// no rendering. It is the ceiling the worker's sending is compared with.
// The messages are built, and the connections opened, before the clock
// starts.
func runBaseline(ctx context.Context, s *sink, conns, total int, size int64) (time.Duration, error) {
	text, html := baselineBodies(size)
	msgs := make([]*gomail.Msg, baselineDistinct)
	for i := range msgs {
		m, err := baselineMsg(i, text, html)
		if err != nil {
			return 0, err
		}
		msgs[i] = m
	}
	clients := make([]*gomail.Client, conns)
	for i := range clients {
		c, err := gomail.NewClient(s.host, gomail.WithPort(s.port), gomail.WithTLSPolicy(gomail.NoTLS),
			gomail.WithoutNoop(), gomail.WithTimeout(30*time.Second))
		if err != nil {
			return 0, err
		}
		if err := c.DialWithContext(ctx); err != nil {
			return 0, fmt.Errorf("baseline: dial sink: %w", err)
		}
		defer c.Close()
		clients[i] = c
	}
	errs := make([]error, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range clients {
		share := total / conns
		if i < total%conns {
			share++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range share {
				if err := c.Send(msgs[(i+j*conns)%len(msgs)]); err != nil {
					errs[i] = fmt.Errorf("baseline: send: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return elapsed, nil
}

// baselineMsg builds a message with the shape the worker sends: the same
// headers, multipart/alternative with a plain-text and an HTML part.
func baselineMsg(i int, text, html string) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From("News Digest <digest@news.example.org>"); err != nil {
		return nil, err
	}
	if err := m.To(fmt.Sprintf("reader%d@example.org", i)); err != nil {
		return nil, err
	}
	m.Subject("News Digest: 12 stories on Mexico, Guatemala and Labour migration")
	m.SetDate()
	m.SetMessageIDWithValue(fmt.Sprintf("%d.%024x@news.example.org", time.Now().UnixNano(), i))
	m.SetGenHeader(gomail.HeaderContentLang, "en")
	m.SetGenHeaderPreformatted("List-Id", "News Digest <news-digest.news.example.org>")
	m.SetGenHeaderPreformatted("List-Unsubscribe", "<https://news.example.org/unsubscribe/AAAAAAAAAAAAAAAAAAAAAA>")
	m.SetGenHeaderPreformatted("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	m.SetGenHeaderPreformatted("X-Newsdigest-Edition", "1")
	m.SetBodyString(gomail.TypeTextPlain, text)
	m.AddAlternativeString(gomail.TypeTextHTML, html)
	return m, nil
}

// Story blocks like the digest templates' own, so that quoted-printable
// encoding costs what it costs for real digests (markup full of "=").
const (
	htmlStory = `<tr><td style="padding:14px 24px 0;">
<h3 style="margin:0;font-size:16px;line-height:22px;color:#102a43;"><a href="https://rosanjose.iom.int/en/news/iom-strengthens-protection-services-%d" style="color:#0b5cad;text-decoration:underline;">Guatemala: IOM strengthens protection services for returned migrants along the northern border</a></h3>
<p style="margin:2px 0 0;font-size:13px;line-height:18px;color:#627d98;">2026-03-02</p>
<p style="margin:6px 0 0;font-size:15px;line-height:22px;">The International Organization for Migration (IOM) supported national authorities in border communities to expand reception and protection services for people returned from Mexico and the United States. The initiative reached more than 2,300 people over eight months. Participants agreed on next steps and a follow-up meeting with municipal authorities, civil society organisations and UN agencies working on reintegration.</p>
<p style="margin:6px 0 0;font-size:12px;line-height:18px;color:#627d98;">Guatemala · Central America · Protection · Return and reintegration</p>
</td></tr>
`
	textStory = `* Guatemala: IOM strengthens protection services for returned migrants along the northern border
  2026-03-02
  The International Organization for Migration (IOM) supported national authorities in border communities to expand reception and protection services for people returned from Mexico and the United States. The initiative reached more than 2,300 people over eight months. Participants agreed on next steps and a follow-up meeting with municipal authorities, civil society organisations and UN agencies working on reintegration.
  Guatemala · Central America · Protection · Return and reintegration
  https://rosanjose.iom.int/en/news/iom-strengthens-protection-services-%d

`
)

// baselineBodies makes a text and an HTML body whose message comes to
// about size bytes on the wire: whole stories, then padding adjusted until
// the encoded size is within a few bytes of it.
func baselineBodies(size int64) (text, html string) {
	build := func(stories, pad int) (string, string) {
		var t, h strings.Builder
		h.WriteString(`<!DOCTYPE html><html><body style="margin:0;padding:0;"><table role="presentation" width="100%" style="max-width:600px;">`)
		for i := range stories {
			fmt.Fprintf(&t, textStory, i)
			fmt.Fprintf(&h, htmlStory, i)
		}
		h.WriteString(`<tr><td style="padding:24px;font-size:12px;color:#627d98;">` + strings.Repeat("x", pad) + `</td></tr></table></body></html>`)
		return t.String(), h.String()
	}
	encoded := func(stories, pad int) int64 {
		t, h := build(stories, pad)
		m, err := baselineMsg(0, t, h)
		if err != nil {
			panic(err) // fixed addresses: cannot fail
		}
		n, _ := m.WriteTo(io.Discard)
		return n
	}
	stories := 0
	for encoded(stories+1, 0) <= size {
		stories++
	}
	pad := 0
	for range 4 { // quoted-printable soft breaks make the size a little more than linear
		pad = max(0, pad+int(size-encoded(stories, pad)))
	}
	return build(stories, pad)
}
