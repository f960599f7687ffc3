package admin

import (
	"regexp"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/overview"
)

// TestLatencyReadsAtAGlance: the queues page says how long the oldest
// task has waited as an operator reads it, in the page's language, not
// as Go prints a duration ("884ms", "50h0m0s").
func TestLatencyReadsAtAGlance(t *testing.T) {
	for _, tc := range []struct {
		d          time.Duration
		en, es, fr string
	}{
		{0, "none waiting", "ninguna en espera", "aucune en attente"},
		{884 * time.Millisecond, "under 1 s", "menos de 1 s", "moins d’1 s"},
		{12*time.Second + 700*time.Millisecond, "12 s", "12 s", "12 s"},
		{3*time.Minute + 5*time.Second, "3 min 5 s", "3 min 5 s", "3 min 5 s"},
		{2*time.Hour + 3*time.Minute + 59*time.Second, "2 h 3 min", "2 h 3 min", "2 h 3 min"},
		{47*time.Hour + 59*time.Minute, "47 h 59 min", "47 h 59 min", "47 h 59 min"},
		{50 * time.Hour, "2 d 2 h", "2 d 2 h", "2 j 2 h"},
	} {
		for lang, want := range map[string]string{"en": tc.en, "es": tc.es, "fr": tc.fr} {
			if got := latency(lang, tc.d); got != want {
				t.Errorf("latency(%s, %v) = %q, want %q", lang, tc.d, got, want)
			}
		}
	}
}

// TestQueuesPageWritesLatencyInWords renders the page's table: the
// latency cell is the words above, in every language.
func TestQueuesPageWritesLatencyInWords(t *testing.T) {
	data := queuesData{Queues: []overview.QueueState{{QueueInfo: asynq.QueueInfo{Queue: "default", Latency: 884 * time.Millisecond}}}, At: time.Now()}
	cell := regexp.MustCompile(`(?s)<tr data-queue="default">.*<td class="num">([^<]*)</td></tr>`)
	for _, lang := range domain.Languages {
		m := cell.FindStringSubmatch(renderConsole(t, "queues.html", lang, data))
		if m == nil || m[1] != latency(lang, 884*time.Millisecond) {
			t.Errorf("queues page (%s): latency cell %q, want %q", lang, m, latency(lang, 884*time.Millisecond))
		}
	}
}
