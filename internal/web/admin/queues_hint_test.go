package admin

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdigest/internal/domain"
)

// TestQueuesHintReadsAsSentences: the line above the queues' table is
// whole sentences in every language, each begun with a capital and
// ended with a full stop: when the figures were read, then what the
// latency column means, named as its heading is ("Latency: how long…"),
// not a question's fragment.
func TestQueuesHintReadsAsSentences(t *testing.T) {
	at := time.Date(2026, 12, 6, 19, 51, 0, 0, time.UTC)
	hint := regexp.MustCompile(`<p class="hint" id="queues-hint">([^<]*)</p>`)
	for _, lang := range domain.Languages {
		m := hint.FindStringSubmatch(renderConsole(t, "queues.html", lang, queuesData{At: at}))
		if m == nil {
			t.Fatalf("queues (%s): no hint", lang)
		}
		text := m[1]
		// The time's own dots and colons are not sentences' ends.
		rest := strings.Replace(text, when(time.UTC, at), "T", 1)
		for _, s := range strings.SplitAfter(rest, ". ") {
			s = strings.TrimSpace(s)
			r, _ := utf8.DecodeRuneInString(s)
			if !unicode.IsUpper(r) || !strings.HasSuffix(s, ".") {
				t.Errorf("queues (%s): %q in the hint %q is not a sentence", lang, s, text)
			}
		}
		if !strings.Contains(text, label(lang, msg(lang, "queues_latency"))) {
			t.Errorf("queues (%s): the hint %q does not name the latency column %q", lang, text, msg(lang, "queues_latency"))
		}
	}
}
