package admin

import (
	"testing"
	"time"
)

// TestPagesParse catches a template that does not parse before anything
// starts.
func TestPagesParse(t *testing.T) {
	if _, err := parsePages(time.UTC); err != nil {
		t.Fatal(err)
	}
}
