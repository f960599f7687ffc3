package render

import (
	"regexp"
	"strings"
	"testing"
)

// mailUnsafeCSS is markup and CSS that mail clients drop or render
// apart: layouts need tables, styles need to be inline (or, for the dark
// scheme alone, in the one <style> block), and nothing may load or run.
var mailUnsafeCSS = []struct {
	what string
	re   *regexp.Regexp
}{
	{"flex layout", regexp.MustCompile(`(?i)display\s*:\s*(inline-)?flex|\bflex(-[a-z]+)?\s*:`)},
	{"grid layout", regexp.MustCompile(`(?i)display\s*:\s*(inline-)?grid|\bgrid(-[a-z]+)?\s*:`)},
	{"position", regexp.MustCompile(`(?i)\bposition\s*:`)},
	{"float", regexp.MustCompile(`(?i)\bfloat\s*:`)},
	{"external stylesheet", regexp.MustCompile(`(?i)<link\b|@import`)},
	{"external asset", regexp.MustCompile(`(?i)url\s*\(`)},
	{"script", regexp.MustCompile(`(?i)<script\b|\bon[a-z]+\s*=\s*["']`)},
	{"CSS variables", regexp.MustCompile(`var\(--|--[a-z-]+\s*:`)},
}

// styleBlock is the one <style> the layout may hold: dark colours for the
// clients that honour prefers-color-scheme, and nothing else.
var styleBlock = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// checkMailCSS fails t for anything in html that mail clients ignore or
// break on.
func checkMailCSS(t *testing.T, name, html string) {
	t.Helper()
	for _, u := range mailUnsafeCSS {
		if loc := u.re.FindStringIndex(html); loc != nil {
			from, to := max(0, loc[0]-60), min(len(html), loc[1]+60)
			t.Errorf("%s: %s: …%s…", name, u.what, html[from:to])
		}
	}
	blocks := styleBlock.FindAllStringSubmatch(html, -1)
	if len(blocks) != 1 {
		t.Errorf("%s: %d <style> blocks, want the one with the dark scheme", name, len(blocks))
		return
	}
	if head := html[:strings.Index(html, "</head>")+1]; !strings.Contains(head, "<style>") {
		t.Errorf("%s: the <style> block is outside <head>", name)
	}
	css := strings.TrimSpace(blocks[0][1])
	if !strings.HasPrefix(css, "@media (prefers-color-scheme: dark) {") || strings.Count(css, "@") != 1 {
		t.Errorf("%s: the <style> block holds more than the dark scheme:\n%s", name, css)
	}
	for _, rule := range regexp.MustCompile(`\{([^{}]*)\}`).FindAllStringSubmatch(css, -1) {
		for _, decl := range strings.Split(rule[1], ";") {
			prop, _, _ := strings.Cut(strings.TrimSpace(decl), ":")
			switch strings.TrimSpace(prop) {
			case "", "color", "background-color", "border-color":
			default:
				t.Errorf("%s: the dark scheme sets %q; it should change colours only", name, prop)
			}
		}
	}
}

// TestEmailCSSIsWhatMailClientsRender checks every kind of email the
// renderer makes, in each language, for CSS mail clients ignore or break
// on.
func TestEmailCSSIsWhatMailClientsRender(t *testing.T) {
	r := mustNew(t)
	for _, lang := range []string{"en", "es"} {
		d := representativeDigest(lang)
		checkMailCSS(t, lang+" digest", mustDigest(t, r, d).HTML)
		d.Full = true
		checkMailCSS(t, lang+" web digest", mustDigest(t, r, d).HTML)
		checkMailCSS(t, lang+" hostile digest", mustDigest(t, r, hostileDigest(lang)).HTML)
		c, err := r.Confirmation(sampleConfirmation(lang))
		if err != nil {
			t.Fatal(err)
		}
		checkMailCSS(t, lang+" confirmation", c.HTML)
	}
}
