package bench

import (
	"fmt"
	"os"
	"testing"
)

// summary is the benchmark's one-line result, set by BenchmarkSendEdition.
var summary string

// TestMain prints the summary after everything the testing package prints
// (benchmark lines, logs, PASS), so that it is the last line the test
// binary writes; `make bench` repeats it after go test's own "ok" line.
func TestMain(m *testing.M) {
	code := m.Run()
	if summary != "" {
		fmt.Println(summary)
	}
	os.Exit(code)
}
