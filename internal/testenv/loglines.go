package testenv

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// LogLine is what a test reads of one of a program's JSON log lines
// (LOG_FORMAT=json).
type LogLine struct {
	Msg, Addr, Route, Check, Err string
}

// LogLines are the JSON log lines o holds so far; other lines are left
// out.
func (o *Output) LogLines() []LogLine {
	var out []LogLine
	for line := range strings.Lines(o.String()) {
		var l LogLine
		if json.Unmarshal([]byte(line), &l) == nil {
			out = append(out, l)
		}
	}
	return out
}

// WaitLogLine returns the first of o's log lines that ok accepts,
// waiting up to 30 s for the program to write it.
func (o *Output) WaitLogLine(t testing.TB, ok func(LogLine) bool) LogLine {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, l := range o.LogLines() {
			if ok(l) {
				return l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no such log line within 30s; log:\n%s", o)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
