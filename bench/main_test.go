package bench

import (
	"fmt"
	"testing"

	"newsdigest/internal/testenv"
)

// summary is BenchmarkSendEdition's one-line result.
var summary string

// TestMain prints the summaries after everything the testing package prints
// (benchmark lines, logs, PASS), so that they are the last lines the test
// binary writes; `make bench` repeats them after go test's own "ok" line.
// testenv.Main then drops the benchmarks' databases (a million readers'
// is gigabytes) and stops their servers before the process exits.
func TestMain(m *testing.M) {
	testenv.Main(m, func() {
		for _, l := range loadSummary {
			fmt.Println(l)
		}
		if summary != "" {
			fmt.Println(summary)
		}
		if slotsSummary != "" {
			fmt.Println(slotsSummary)
		}
	})
}
