package bench

import (
	"fmt"
	"os"
	"testing"
)

// summary is BenchmarkSendEdition's one-line result.
var summary string

// TestMain prints the summaries after everything the testing package prints
// (benchmark lines, logs, PASS), so that it is the last line the test
// binary writes; `make bench` repeats it after go test's own "ok" line.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, l := range loadSummary {
		fmt.Println(l)
	}
	if summary != "" {
		fmt.Println(summary)
	}
	if slotsSummary != "" {
		fmt.Println(slotsSummary)
	}
	os.Exit(code)
}
