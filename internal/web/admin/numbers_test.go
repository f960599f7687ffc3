package admin

import (
	"regexp"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
)

// TestFiguresInTheirLanguage: a figure with a fraction, a percentage and
// a label's colon are written as the page's language writes them: "1,7",
// "100 %" and "État :" in French (no-break spaces), "1.7", "100%" and
// "Status:" in English.
func TestFiguresInTheirLanguage(t *testing.T) {
	const nbsp = "\u00a0"
	want := map[string]struct{ rate, percent, limit, paused, colon string }{
		"en": {"1.7", "100%", "0.1%", "33.3%", ":"},
		"es": {"1,7", "100" + nbsp + "%", "0,1" + nbsp + "%", "33,3" + nbsp + "%", ":"},
		"fr": {"1,7", "100" + nbsp + "%", "0,1" + nbsp + "%", "33,3" + nbsp + "%", nbsp + ":"},
	}
	e := domain.Edition{ID: 1, Status: domain.EditionSending, Rate: 1.74, Total: 3,
		FirstSend: &domain.SendRound{Sent: 2, Rate: 1.74}}
	data := editionShowData{P: editions.Progress{Edition: e}, StatusText: "x",
		Skipped: []skipReason{{Reason: "paused", Label: "y", Count: 1}}}
	for _, lang := range domain.Languages {
		w, ok := want[lang]
		if !ok {
			t.Fatalf("no figures to expect in %s", lang)
		}
		if got := decimal(lang, e.Rate); got != w.rate {
			t.Errorf("%s: decimal(1.74) = %q, want %q", lang, got, w.rate)
		}
		if got := percentText(lang, 1, 0); got != w.percent {
			t.Errorf("%s: percentText(1) = %q, want %q", lang, got, w.percent)
		}
		if got := pauseLimit(lang, domain.PauseLimits{BounceRate: 0.001}, domain.PauseBounces); got != w.limit {
			t.Errorf("%s: pause limit 0.001 = %q, want %q", lang, got, w.limit)
		}
		if got := pausePercent(lang, domain.EditionPauseNote{Count: 1, Of: 3}); got != w.paused {
			t.Errorf("%s: pausePercent(1 of 3) = %q, want %q", lang, got, w.paused)
		}
		out := renderConsole(t, "editions_show.html", lang, data)
		for _, tc := range []struct{ what, pattern, want string }{
			{"rate", `<dd id="p-rate">([^<]*)</dd>`, tf(lang, "editions_rate_value", w.rate)},
			{"first round", `<dd id="first-send">([^<]*)</dd>`, tf(lang, "editions_first_send_value", tn(lang, "editions_n_sent", 2), w.rate, "—")},
			{"status", `<p>([^<]*) <strong id="p-status"`, msg(lang, "editions_col_status") + w.colon},
			{"skip reason", `<li>([^<]*) <span data-reason="paused">`, "y" + w.colon},
		} {
			m := regexp.MustCompile(tc.pattern).FindStringSubmatch(out)
			if m == nil || m[1] != tc.want {
				t.Errorf("%s: the edition's %s says %q, want %q", lang, tc.what, m, tc.want)
			}
		}
	}
}
