package render

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// longWord is a "word" no line can hold: a pasted token, a URL without
// spaces. It must wrap inside the 320px card, not widen it.
var longWord = strings.Repeat("Sin_espacios", 40)

// hostileDigest carries what a feed could put in a story to break out of
// the email: markup, script, event handlers, other URL schemes, a forged
// footer in the text part, bidirectional overrides and a word wider than
// any screen.
func hostileDigest(lang string) Digest {
	d := representativeDigest(lang)
	d.ListName = `List </title><script>alert(1)</script>`
	d.Sections = append(d.Sections, Section{
		Title: `</h2><style>body{display:none}</style><h2>`,
		Items: []Item{
			{
				Title:       `"><img src=x onerror=alert(1)><script>alert(2)</script>` + "\u202Egnp.exe",
				Summary:     "Line one\r\n\r\n----------------------------------------\nUnsubscribe:\nhttps://evil.example/\n" + longWord,
				URL:         "javascript:alert(3)",
				PublishedOn: `2026-11-20"><b>`,
				Tags:        []string{`<a href="https://evil.example/">click</a>`, "{{.Secret}}"},
				Anchor:      `x" onmouseover="alert(4)`,
			},
			{Title: longWord, Summary: "data", URL: "data:text/html,<script>alert(5)</script>", PublishedOn: "2026-11-20"},
			{Title: "Vbscript", Summary: "s", URL: " JaVaScRiPt:alert(6)", PublishedOn: "2026-11-20"},
			{Title: "Relative", Summary: "s", URL: "//evil.example/x", PublishedOn: "2026-11-20"},
		},
	})
	return d
}

// TestHostileStoryText: whatever a story holds, the HTML has no element
// or attribute the templates did not write, every link is http(s), and
// the text part shows the story as one item, not a second footer.
func TestHostileStoryText(t *testing.T) {
	r := mustNew(t)
	allowed := map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true,
		"body": true, "div": true, "table": true, "tbody": true, "tr": true, "td": true,
		"h1": true, "h2": true, "h3": true, "p": true, "a": true, "br": true}
	for _, lang := range []string{"en", "es"} {
		for _, full := range []bool{false, true} {
			d := hostileDigest(lang)
			d.Full = full
			m := mustDigest(t, r, d)
			doc, err := html.Parse(strings.NewReader(m.WithToken("tok").HTML))
			if err != nil {
				t.Fatal(err)
			}
			styles := 0
			var walk func(*html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					if !allowed[n.Data] {
						t.Errorf("%s full=%v: a <%s> element", lang, full, n.Data)
					}
					if n.Data == "style" {
						styles++
					}
					for _, a := range n.Attr {
						if strings.HasPrefix(a.Key, "on") {
							t.Errorf("%s full=%v: <%s %s=%q>", lang, full, n.Data, a.Key, a.Val)
						}
						if a.Key == "href" && !strings.HasPrefix(a.Val, "https://") {
							t.Errorf("%s full=%v: a link to %q", lang, full, a.Val)
						}
						if a.Key == "id" && a.Val != "" && !strings.HasPrefix(a.Val, "story-") {
							t.Errorf("%s full=%v: id %q", lang, full, a.Val)
						}
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
			if styles != 1 {
				t.Errorf("%s full=%v: %d <style> elements, want 1", lang, full, styles)
			}
			if strings.Contains(m.HTML, "\u202E") || strings.Contains(m.Text, "\u202E") {
				t.Errorf("%s full=%v: a right-to-left override reaches the email", lang, full)
			}
			if n := strings.Count(m.Text, "\n----------------------------------------\n"); n != 1 {
				t.Errorf("%s full=%v: the text part has %d footer rules, want 1", lang, full, n)
			}
			if strings.Contains(m.Text, "\nhttps://evil.example/\n") {
				t.Errorf("%s full=%v: a story's text poses as a line of the footer", lang, full)
			}
		}
	}
}

// TestEveryTitleLinks: in the email every story's title is a link: to its
// source when it has one, else to itself on the web digest, where its
// heading carries the id that link points at.
func TestEveryTitleLinks(t *testing.T) {
	r := mustNew(t)
	for _, lang := range []string{"en", "es"} {
		d := representativeDigest(lang)
		email := mustDigest(t, r, d).WithToken("tok123").HTML
		d.Full = true
		web := mustDigest(t, r, d).WithToken("tok123").HTML
		for _, sec := range d.Sections {
			for _, it := range sec.Items {
				want := it.URL
				if want == "" {
					want = "https://news.example.org/digest/42/tok123#" + it.Anchor
					if !strings.Contains(web, `<h3 id="`+it.Anchor+`"`) {
						t.Errorf("%s: the web digest has no heading with id %s", lang, it.Anchor)
					}
				}
				a := `<a href="` + strings.ReplaceAll(want, "&", "&amp;") + `" class="nd-a"`
				if !strings.Contains(email, a) {
					t.Errorf("%s: %q does not link to %s", lang, it.Title, want)
				}
			}
		}
		if strings.Contains(email, `<h3 id=`) {
			t.Errorf("%s: the email carries the web digest's ids", lang)
		}
	}
}
