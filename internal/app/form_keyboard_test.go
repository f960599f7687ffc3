package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

// maxTabsToSubscribe bounds the Tab presses from the top of the form to
// its Subscribe button with nothing unfolded: skip link, header, address,
// "all stories", one summary per region, the topics, the two radio
// groups. Every country box was on that path once (78 presses).
const maxTabsToSubscribe = 32

// focusedJS names the element that has the keyboard focus: a region's
// summary by its region, the submit button as "submit", a field by its
// id, a box by name=value.
const focusedJS = `(function (e) {
	if (e.tagName === "SUMMARY") {
		var r = e.parentElement.querySelector("input[name=regions]");
		return "summary:" + (r ? r.value : "other");
	}
	if (e.type === "submit") return "submit";
	return e.id || (e.name + "=" + e.value);
})(document.activeElement)`

// press sends keys as the keyboard does (key events only, no clicks).
func (b *browserSession) press(what, keys string) {
	b.t.Helper()
	b.do(what, chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the element named want (see focusedJS) has
// the focus, and returns how many presses it took.
func (b *browserSession) tabTo(want string, max int) int {
	b.t.Helper()
	for n := 1; n <= max; n++ {
		b.press("press Tab", "\t")
		if got := editionsEval[string](b, "read the focus", focusedJS); got == want {
			return n
		}
	}
	b.t.Fatalf("%d Tab presses did not reach %s; the focus is on %s", max, want, editionsEval[string](b, "read the focus", focusedJS))
	return 0
}

// pressEnterToSubmit presses Enter on the focused button and returns the
// status of the page it loads.
func (b *browserSession) pressEnterToSubmit(what string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent("\r"))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: Enter loaded no page", what)
	}
	return resp.Status
}

// TestBrowserSubscribeByKeyboard subscribes with the keyboard alone, in
// English (all stories) and in Spanish (a country unfolded from its
// region), within a bound of Tab presses, and sees the confirmation mail
// arrive.
func TestBrowserSubscribeByKeyboard(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 2*time.Minute)
	for _, tc := range []struct {
		lang, addr, heading string
		choose              func() int // ticks the choice; returns its Tab presses
		maxTabs             int
	}{
		{"en", "keys-en@example.org", "Check your inbox", func() int {
			n := b.tabTo("all", 3)
			b.press("tick all stories with Space", " ")
			return n
		}, maxTabsToSubscribe},
		{"es", "keys-es@example.org", "Revisa tu correo", func() int {
			n := b.tabTo("summary:central-america", 3)
			b.press("unfold Central America with Enter", "\r")
			n += b.tabTo("countries=CR", 5)
			b.press("tick Costa Rica with Space", " ")
			return n
		}, maxTabsToSubscribe + 8}, // the box for the whole region and Belize come first
	} {
		b.open(s.base+"/?lang="+tc.lang, subscribeForm)
		tabs := b.tabTo("email", 8)
		b.press("type the address", tc.addr)
		tabs += tc.choose()
		tabs += b.tabTo("submit", 60)
		if tabs > tc.maxTabs {
			t.Errorf("%s: %d Tab presses to reach Subscribe, want at most %d", tc.lang, tabs, tc.maxTabs)
		}
		t.Logf("%s: Subscribe reached in %d Tab presses", tc.lang, tabs)
		if st := b.pressEnterToSubmit("press Enter on Subscribe"); st != http.StatusOK {
			t.Fatalf("%s: subscribe by keyboard: status %d, page says %q", tc.lang, st, b.pageText())
		}
		if h := b.text("heading after subscribing", pageHeading); h != tc.heading {
			t.Fatalf("%s: after subscribing the page says %q, want %q", tc.lang, h, tc.heading)
		}
		b.checkAccessible("check your inbox (" + tc.lang + ")")
		s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+tc.addr, func([]testenv.Received) bool {
			return len(s.smtp.To(tc.addr)) == 1
		})
	}

	// Nothing unfolded, the bound holds from the top of the page.
	b.open(s.base+"/?lang=es", subscribeForm)
	if n := b.tabTo("submit", 80); n > maxTabsToSubscribe {
		t.Errorf("%d Tab presses from the top of the page to Subscribe, want at most %d", n, maxTabsToSubscribe)
	}
}

// fieldErrorWords are what the form says of a mistake, per language.
var fieldErrorWords = map[string]struct{ email, choices string }{
	"en": {"The part after the @ is not a domain mail can reach. It should look like example.org.",
		"Choose “All stories”, or at least one country or topic."},
	"es": {"La parte después de la @ no es un dominio al que llegue el correo. Debe tener la forma ejemplo.org.",
		"Elige «Todas las noticias», o al menos un país o un tema."},
}

// attr reads an attribute of the first element sel matches ("" if none).
func (b *browserSession) attr(sel, name string) string {
	b.t.Helper()
	return editionsEval[string](b, "read "+name+" of "+sel,
		`(document.querySelector("`+sel+`")||{getAttribute:()=>""}).getAttribute("`+name+`")||""`)
}

// checkFieldError asserts that the field at sel is marked invalid and
// described by the message with id, which says want.
func (b *browserSession) checkFieldError(what, sel, id, want string) {
	b.t.Helper()
	if got := b.attr(sel, "aria-invalid"); got != "true" {
		b.t.Errorf("%s: %s has aria-invalid %q, want true", what, sel, got)
	}
	if got := b.attr(sel, "aria-describedby"); got != id {
		b.t.Errorf("%s: %s has aria-describedby %q, want %q", what, sel, got, id)
	}
	if got := b.text(what+" message", chromedp.CSS("#"+id)); got != want {
		b.t.Errorf("%s: #%s says %q, want %q", what, id, got, want)
	}
}

// TestBrowserFormFieldErrors sends the form with an address that has no
// real domain and nothing chosen, in both languages: each mistake is
// said in plain words next to its field, which points to it, and a
// summary at the top links to the fields; axe finds nothing wrong. The
// preference centre does the same in its reader's language.
func TestBrowserFormFieldErrors(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 3*time.Minute)
	for _, lang := range []string{"en", "es"} {
		b.open(s.base+"/?lang="+lang, subscribeForm)
		b.checkAccessible("subscribe form (" + lang + ")")
		b.shots(t, "form-"+lang)
		b.do("type an address with no real domain", chromedp.SendKeys(emailField, "ana@localhost", chromedp.NodeVisible))
		if st := b.submit("subscribe with mistakes", subscribeSend); st != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d, want 422", lang, st)
		}
		words := fieldErrorWords[lang]
		b.checkFieldError(lang+" address", "#email", "email-error", words.email)
		b.checkFieldError(lang+" choices", "#all", "choices-error", words.choices)
		links := editionsEval[[]string](b, "summary links",
			`Array.from(document.querySelectorAll("#error-summary a")).map(a => a.getAttribute("href") + " " + a.textContent)`)
		want := []string{"#email " + words.email, "#all " + words.choices}
		if strings.Join(links, "|") != strings.Join(want, "|") {
			t.Errorf("%s: the summary links %q, want %q", lang, links, want)
		}
		// The title says there are mistakes, and the focus is on their
		// summary, where a screen reader starts reading.
		if title := editionsEval[string](b, "title", `document.title`); !strings.HasPrefix(title, "Error: ") {
			t.Errorf("%s: the page's title with mistakes is %q", lang, title)
		}
		if focused := editionsEval[string](b, "focus", `document.activeElement.id`); focused != "error-summary" {
			t.Errorf("%s: after a refused sign-up the focus is on %q, want the error summary", lang, focused)
		}
		if text := b.pageText(); strings.Contains(text, "email:") || strings.Contains(text, "countries, topics") {
			t.Errorf("%s: the page names internal fields: %s", lang, text)
		}
		b.checkAccessible("subscribe form with mistakes (" + lang + ")")
		b.shots(t, "form-errors-"+lang)
	}

	// The preference centre of a Spanish reader, from a digest's link.
	text := s.firstDigestOfImported("marta@example.org", "es", "officials in Upala study the labour market")
	prefsURL := prefsLink.FindString(text)
	b.open(prefsURL, prefsForm)
	b.checkAccessible("preference centre (es)")
	b.shots(t, "preferences-es")
	b.do("untick Costa Rica", chromedp.Click(countryBox("CR"), chromedp.NodeVisible))
	if st := b.submit("save nothing chosen", prefsSend); st != http.StatusUnprocessableEntity {
		t.Fatalf("preferences with nothing chosen: status %d, want 422", st)
	}
	if lang := b.attr("html", "lang"); lang != "es" {
		t.Errorf("the preference centre answered a mistake in %q, want es", lang)
	}
	b.checkFieldError("preferences choices", "#all", "choices-error", fieldErrorWords["es"].choices)
	b.checkAccessible("preference centre with a mistake (es)")
	b.shots(t, "preferences-errors-es")
}

// firstDigestOfImported imports addr as an active reader of Costa Rica in
// lang, sends an edition with one story about it (title) and returns the
// text part of the digest addr gets.
func (s *stack) firstDigestOfImported(addr, lang, title string) string {
	s.t.Helper()
	if status, a := s.importCSV("email,countries,topics,language\n" + addr + ",CR,," + lang + "\n"); status != http.StatusOK || a.Imported != 1 {
		s.t.Fatalf("import subscriber: %d %+v", status, a)
	}
	if e := s.edition(title); e.Status != "done" || e.Sent != 1 {
		s.t.Fatalf("edition = %+v, want done with 1 sent", e)
	}
	text, _ := bodies(s.t, onlyDigest(s.t, s, addr, 1).Raw)
	return text
}
