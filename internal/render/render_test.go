package render

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/errs"
)

const (
	unsubscribeURL = "https://news.example.org/unsubscribe/" + TokenPlaceholder
	preferencesURL = "https://news.example.org/preferences/" + TokenPlaceholder
	postalAddress  = "Migration News Desk\nApartado 123-1000\nSan José, Costa Rica"
)

func mustNew(t testing.TB) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func testDigest(lang string) Digest {
	return Digest{
		Language:    lang,
		ListName:    "News Digest",
		EditionDate: "2026-11-30",
		Sections: []Section{
			{Title: "Mexico", Items: []Item{{
				Title:       "Labour mobility programme launched for Guatemalan workers",
				Summary:     "The programme supports regular labour pathways, fair recruitment and access to information.",
				URL:         "https://example.org/news/1?a=1&b=2",
				PublishedOn: "2026-11-27",
				Tags:        []string{"Mexico", "Labour migration"},
			}}},
			{Title: "Regional", Items: []Item{{
				Title:       "Caribbean states agree on climate displacement approach",
				Summary:     "Representatives of fourteen states met in Port of Spain.",
				PublishedOn: "2026-11-24",
				Tags:        []string{"Caribbean", "Climate"},
			}}},
		},
		UnsubscribeURL: unsubscribeURL,
		PreferencesURL: preferencesURL,
		PostalAddress:  postalAddress,
	}
}

func mustDigest(t *testing.T, r *Renderer, d Digest) Message {
	t.Helper()
	m, err := r.Digest(d)
	if err != nil {
		t.Fatalf("Digest: %v", err)
	}
	return m
}

func TestDigestLanguages(t *testing.T) {
	r := mustNew(t)
	tests := []struct {
		lang    string
		subject string
		want    []string // in both parts
		html    []string
	}{
		{
			lang:    "en",
			subject: "2 new stories: Mexico and Regional",
			want: []string{"30 November 2026", "27 November 2026", "2 new stories.",
				"Preferences", "Unsubscribe", "Mexico · Labour migration",
				"You are receiving this email because you subscribed to News Digest."},
			html: []string{`<html lang="en"`},
		},
		{
			lang:    "es",
			subject: "2 noticias nuevas: Mexico y Regional",
			want: []string{"30 de noviembre de 2026", "27 de noviembre de 2026", "2 noticias nuevas.",
				"Preferencias", "Cancelar suscripción",
				"Recibes este correo porque te suscribiste a News Digest."},
			html: []string{`<html lang="es"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			m := mustDigest(t, r, testDigest(tt.lang))
			if diff := cmp.Diff(tt.subject, m.Subject); diff != "" {
				t.Errorf("subject (-want +got):\n%s", diff)
			}
			for _, s := range tt.want {
				if !strings.Contains(m.HTML, s) {
					t.Errorf("HTML lacks %q", s)
				}
				if !strings.Contains(m.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range tt.html {
				if !strings.Contains(m.HTML, s) {
					t.Errorf("HTML lacks %q", s)
				}
			}
		})
	}
}

func TestDigestEmptyLanguageIsEnglish(t *testing.T) {
	m := mustDigest(t, mustNew(t), testDigest(""))
	if !strings.Contains(m.HTML, "Unsubscribe") {
		t.Errorf("an empty language should render English")
	}
}

func TestDigestRejects(t *testing.T) {
	r := mustNew(t)
	tests := []struct {
		name   string
		change func(*Digest)
	}{
		{"unsupported language", func(d *Digest) { d.Language = "pt" }},
		{"no unsubscribe URL", func(d *Digest) { d.UnsubscribeURL = "" }},
		{"unsubscribe URL without placeholder", func(d *Digest) { d.UnsubscribeURL = "https://news.example.org/unsubscribe/x" }},
		{"preferences URL without placeholder", func(d *Digest) { d.PreferencesURL = "https://news.example.org/preferences/x" }},
		{"javascript unsubscribe URL", func(d *Digest) { d.UnsubscribeURL = "javascript:alert('" + TokenPlaceholder + "')" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDigest("en")
			tt.change(&d)
			_, err := r.Digest(d)
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("got error %v, want an invalid error", err)
			}
		})
	}
}

func TestDigestEscaping(t *testing.T) {
	const (
		title   = `<script>alert("t")</script> Smith & Sons`
		summary = `Tom & Jerry <b>met</b> at <script>alert(1)</script>.`
	)
	d := testDigest("en")
	d.Sections[0].Items[0].Title = title
	d.Sections[0].Items[0].Summary = summary
	d.Sections[0].Title = "Trinidad & Tobago"
	m := mustDigest(t, mustNew(t), d)

	for _, bad := range []string{"<script", "<b>", "Smith & Sons", "Tom & Jerry", "Trinidad & Tobago"} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML contains unescaped %q", bad)
		}
	}
	for _, good := range []string{
		"&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; Smith &amp; Sons",
		"Tom &amp; Jerry &lt;b&gt;met&lt;/b&gt;",
		"Trinidad &amp; Tobago",
	} {
		if !strings.Contains(m.HTML, good) {
			t.Errorf("HTML lacks escaped %q", good)
		}
	}
	// The text part is not HTML: it must show what was written, entities
	// and all, with nothing escaped.
	for _, raw := range []string{title, "Tom & Jerry <b>met</b> at <script>alert(1)</script>.", "Trinidad & Tobago"} {
		if !strings.Contains(m.Text, raw) {
			t.Errorf("text lacks raw %q", raw)
		}
	}
	if strings.Contains(m.Text, "&amp;") || strings.Contains(m.Text, "&lt;") || strings.Contains(m.Text, "&#") {
		t.Errorf("text part contains HTML entities:\n%s", m.Text)
	}
}

func TestDigestItemLinks(t *testing.T) {
	r := mustNew(t)
	unsafe := []string{
		"javascript:alert(1)",
		"JavaScript:alert(document.cookie)",
		"  javascript:alert(1)",
		"java\tscript:alert(1)",
		"data:text/html;base64,PHNjcmlwdD4=",
		"vbscript:msgbox(1)",
		"ftp://example.org/file",
		"//example.org/no-scheme",
		"/relative/path",
		"https://",
	}
	for _, u := range unsafe {
		t.Run(u, func(t *testing.T) {
			d := testDigest("en")
			d.Sections[0].Items[0].URL = u
			m := mustDigest(t, r, d)
			hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(m.HTML, -1)
			var got []string
			for _, h := range hrefs {
				got = append(got, h[1])
			}
			want := []string{preferencesURL, unsubscribeURL}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("hrefs (-want +got):\n%s", diff)
			}
			if strings.Contains(strings.ToLower(m.HTML), "script:") {
				t.Errorf("HTML contains a script: URL")
			}
			if strings.Contains(m.Text, "\n  "+strings.TrimSpace(u)+"\n") {
				t.Errorf("text contains the unsafe URL %q", u)
			}
			if !strings.Contains(m.HTML, ">"+d.Sections[0].Items[0].Title+"</h3>") {
				t.Errorf("the title should be shown, unlinked")
			}
		})
	}

	t.Run("http link", func(t *testing.T) {
		m := mustDigest(t, r, testDigest("en"))
		if !strings.Contains(m.HTML, `<a href="https://example.org/news/1?a=1&amp;b=2"`) {
			t.Errorf("HTML does not link the story")
		}
		if !strings.Contains(m.Text, "\n  https://example.org/news/1?a=1&b=2\n") {
			t.Errorf("text does not show the story's URL:\n%s", m.Text)
		}
	})
}

func TestDigestFooter(t *testing.T) {
	r := mustNew(t)
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			s := catalog()[lang]
			m := mustDigest(t, r, testDigest(lang))
			for _, link := range []struct{ label, url string }{
				{s.Preferences, preferencesURL},
				{s.Unsubscribe, unsubscribeURL},
			} {
				a := fmt.Sprintf(`<a href="%s" class="nd-a" style="color:#0b5cad;text-decoration:underline;">%s</a>`, link.url, link.label)
				if !strings.Contains(m.HTML, a) {
					t.Errorf("HTML lacks the link %s", a)
				}
				if !strings.Contains(m.Text, link.label+":\n"+link.url+"\n") {
					t.Errorf("text lacks the %s link:\n%s", link.label, m.Text)
				}
			}
			if !strings.Contains(m.HTML, "Migration News Desk<br>Apartado 123-1000<br>San José, Costa Rica") {
				t.Errorf("HTML lacks the postal address")
			}
			if !strings.HasSuffix(m.Text, "\n"+postalAddress+"\n") {
				t.Errorf("text does not end with the postal address:\n%s", m.Text)
			}
		})
	}

	t.Run("no postal address", func(t *testing.T) {
		d := testDigest("en")
		d.PostalAddress = ""
		m := mustDigest(t, r, d)
		if strings.Contains(m.HTML, "<br>") {
			t.Errorf("HTML has an address block with no address")
		}
		if !strings.HasSuffix(m.Text, "\n"+unsubscribeURL+"\n") {
			t.Errorf("text should end with the unsubscribe link:\n%s", m.Text)
		}
	})
}

func TestDigestToken(t *testing.T) {
	m := mustDigest(t, mustNew(t), testDigest("en"))
	for part, body := range map[string]string{"HTML": m.HTML, "text": m.Text} {
		for _, u := range []string{unsubscribeURL, preferencesURL} {
			if !strings.Contains(body, u) {
				t.Errorf("%s lacks %s verbatim", part, u)
			}
		}
	}

	const token = "s3cr3t-Tok_en"
	p := m.WithToken(token)
	if p.Subject != m.Subject {
		t.Errorf("WithToken changed the subject to %q", p.Subject)
	}
	for part, body := range map[string]string{"HTML": p.HTML, "text": p.Text} {
		if strings.Contains(body, TokenPlaceholder) {
			t.Errorf("%s still contains the placeholder", part)
		}
		for _, u := range []string{
			"https://news.example.org/unsubscribe/" + token,
			"https://news.example.org/preferences/" + token,
		} {
			if !strings.Contains(body, u) {
				t.Errorf("%s lacks %s", part, u)
			}
		}
	}
	if strings.Contains(m.HTML, token) {
		t.Errorf("WithToken modified the original message")
	}
}

// bigDigest is a heavy edition: 60 stories with 600-character summaries
// (more than an email holds), every other one linking to the web digest
// for want of a URL of its own.
func bigDigest(lang string) Digest {
	d := testDigest(lang)
	d.Sections = nil
	d.ViewURL = "https://news.example.org/digest/12345/" + TokenPlaceholder
	summary := strings.Repeat("Officials & partners met to discuss regular pathways. ", 12)[:600]
	for s := range 6 {
		sec := Section{Title: fmt.Sprintf("Section %d", s+1)}
		for i := range 10 {
			sec.Items = append(sec.Items, Item{
				Title:       fmt.Sprintf("Story %d: governments agree on a regional approach to labour migration", s*10+i),
				Summary:     summary,
				URL:         fmt.Sprintf("https://www.example.org/en/news/2026/11/regional-approach-labour-migration-%d?utm_source=digest&utm_medium=email", s*10+i),
				PublishedOn: "2026-11-27",
				Tags:        []string{"Costa Rica", "Nicaragua", "Labour migration", "Protection"},
				Anchor:      fmt.Sprintf("story-%d", 100000+s*10+i),
			})
			if i%2 == 1 {
				sec.Items[i].URL = ""
			}
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}

func TestDigestSize(t *testing.T) {
	const gmailClip = 102 * 1024
	r := mustNew(t)
	for _, lang := range []string{"en", "es"} {
		m := mustDigest(t, r, bigDigest(lang))
		// The token is longer than the placeholder in practice; allow for it.
		size := len(m.WithToken(strings.Repeat("x", 64)).HTML)
		t.Logf("%s: HTML %d bytes, text %d bytes", lang, size, len(m.Text))
		if size >= gmailClip {
			t.Errorf("%s: HTML is %d bytes; Gmail clips at %d", lang, size, gmailClip)
		}
		if n := strings.Count(m.HTML, "<h3 "); n != 60 {
			t.Errorf("%s: %d stories in HTML, want 60", lang, n)
		}
	}
}

func TestDigestText(t *testing.T) {
	d := bigDigest("en")
	d.Sections = append(d.Sections, testDigest("en").Sections...)
	m := mustDigest(t, mustNew(t), d)
	if tag := regexp.MustCompile(`<[a-zA-Z/!?][^>]*>`).FindString(m.Text); tag != "" {
		t.Errorf("text part contains the tag %q", tag)
	}
	for i, line := range strings.Split(m.Text, "\n") {
		if utf8.RuneCountInString(line) > textWidth && strings.Contains(strings.TrimSpace(line), " ") {
			t.Errorf("line %d is %d characters and could have been wrapped: %q", i+1, utf8.RuneCountInString(line), line)
		}
	}
	if !strings.Contains(m.Text, "\n  https://www.example.org/en/news/2026/11/regional-approach-labour-migration-0?utm_source=digest&utm_medium=email\n") {
		t.Errorf("a long URL was broken or lost")
	}
}

func TestDigestNoStories(t *testing.T) {
	d := testDigest("es")
	d.Sections = []Section{{Title: "Vacía"}}
	m := mustDigest(t, mustNew(t), d)
	if strings.Contains(m.HTML, "Vacía") {
		t.Errorf("an empty section should not be shown")
	}
	if !strings.Contains(m.Text, "No hay noticias nuevas.") {
		t.Errorf("text lacks the no-stories line:\n%s", m.Text)
	}
}

func TestDigestConcurrent(t *testing.T) {
	r := mustNew(t)
	want := mustDigest(t, r, bigDigest("es"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := r.Digest(bigDigest("es"))
			if err != nil {
				t.Error(err)
				return
			}
			if !got.equal(want) {
				t.Error("concurrent renders differ")
			}
		})
	}
	wg.Wait()
}

func TestConfirmation(t *testing.T) {
	r := mustNew(t)
	const confirmURL = "https://news.example.org/confirm/abc123?x=1&y=2"
	tests := []struct {
		lang, subject, button string
	}{
		{"en", "Confirm your subscription to News Digest", "Confirm subscription"},
		{"es", "Confirma tu suscripción a News Digest", "Confirmar suscripción"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			m, err := r.Confirmation(Confirmation{
				Language: tt.lang, ListName: "News Digest", ConfirmURL: confirmURL, PostalAddress: postalAddress,
			})
			if err != nil {
				t.Fatalf("Confirmation: %v", err)
			}
			if diff := cmp.Diff(tt.subject, m.Subject); diff != "" {
				t.Errorf("subject (-want +got):\n%s", diff)
			}
			if !strings.Contains(m.HTML, `href="https://news.example.org/confirm/abc123?x=1&amp;y=2"`) {
				t.Errorf("HTML lacks the confirm link")
			}
			if !strings.Contains(m.HTML, ">"+tt.button+"</a>") {
				t.Errorf("HTML lacks the %q button", tt.button)
			}
			if !strings.Contains(m.Text, tt.button+":\n"+confirmURL+"\n") {
				t.Errorf("text lacks the confirm URL:\n%s", m.Text)
			}
			if !strings.Contains(m.HTML, "San José, Costa Rica") || !strings.Contains(m.Text, postalAddress) {
				t.Errorf("postal address missing")
			}
			if strings.Contains(m.Text, "&amp;") {
				t.Errorf("text part is HTML-escaped")
			}
		})
	}

	for _, u := range []string{"", "javascript:alert(1)", "/confirm/abc"} {
		_, err := r.Confirmation(Confirmation{Language: "en", ConfirmURL: u})
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("confirm URL %q: got %v, want an invalid error", u, err)
		}
	}
}

func BenchmarkDigest(b *testing.B) {
	r := mustNew(b)
	d := bigDigest("en")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Digest(d); err != nil {
			b.Fatal(err)
		}
	}
}
