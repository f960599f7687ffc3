package domain

import (
	"testing"
	"time"
)

// TestWordsSurviveStorage: arguments come back from their JSON as fmt
// reads them (whole numbers for %d); words whose arguments would not
// are not kept, so a page falls back to the English text.
func TestWordsSurviveStorage(t *testing.T) {
	w := NewWords("%s: %d new, %d duplicates (%q)", "listing", 3, int64(0), "Title")
	b, err := w.ArgsJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeArgs(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := (Words{Format: w.Format, Args: back}).Text(); got != `listing: 3 new, 0 duplicates ("Title")` {
		t.Errorf("after storage: %q", got)
	}
	if w := NewWords("every %s", time.Hour); w.Format != "" {
		t.Errorf("a duration, which JSON brings back as a number, was kept: %+v", w)
	}
	if w := NewWords("resumed after pausing itself"); w.Text() != "resumed after pausing itself" {
		t.Errorf("words with no arguments: %+v", w)
	}
}
