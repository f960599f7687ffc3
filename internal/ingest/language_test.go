package ingest

import (
	"bytes"
	"testing"

	"newsdigest/internal/tagging"
)

func TestDetectLanguageFixture(t *testing.T) {
	items, _, _ := ParseListing(bytes.NewReader(readFixture(t)))
	for _, it := range items {
		t.Run(it.Title, func(t *testing.T) {
			if got := tagging.DetectLanguage(it.Title + "\n" + it.Summary); got != "en" {
				t.Errorf("got %q, want en", got)
			}
		})
	}
}
