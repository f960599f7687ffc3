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

// TestCatalogueComplete checks that every console string exists in both
// languages.
func TestCatalogueComplete(t *testing.T) {
	for k := range catalogue["en"] {
		if _, ok := catalogue["es"][k]; !ok {
			t.Errorf("message %q has no Spanish", k)
		}
	}
	for k := range catalogue["es"] {
		if _, ok := catalogue["en"][k]; !ok {
			t.Errorf("message %q has no English", k)
		}
	}
}
