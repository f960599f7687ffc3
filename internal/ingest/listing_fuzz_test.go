package ingest

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseListing checks that no input panics the parser and that what it
// returns keeps its promises: items have a date and a title, line numbers
// point into the input, and errors come in line order.
func FuzzParseListing(f *testing.F) {
	fixture := readFixture(f)
	f.Add(fixture)
	f.Add(bytes.ReplaceAll(fixture, []byte("\n"), []byte("\r\n")))
	f.Add([]byte("\uFEFF32 Foo, 2020\n\nTitle\n\n16 de diciembre de 2020\nTítulo\nhttps://example.org\n"))
	f.Add([]byte("Wednesday, September 5, 2018\n\n\n\n2020-12-16\n5 Enero, 2018\nx\n\ny\n\nz"))
	f.Add([]byte{0xFF, 0xFE, '1', 0, ' ', 0, 'M', 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		items, lineErrs, err := ParseListing(bytes.NewReader(in))
		if err != nil {
			return // only size and decoding problems; the fuzzer stays far below the size limit
		}
		lines := len(splitLines(string(in))) + 1 // decoding may change the count slightly
		if bytes.HasPrefix(in, []byte{0xFF, 0xFE}) || bytes.HasPrefix(in, []byte{0xFE, 0xFF}) {
			lines = len(in) // UTF-16: lines are not counted in bytes
		}
		for _, it := range items {
			if it.PublishedOn.IsZero() || strings.TrimSpace(it.Title) == "" || !utf8.ValidString(it.Title+it.Summary) {
				t.Fatalf("bad item %+v", it)
			}
			if it.Line < 1 || it.Line > lines {
				t.Fatalf("item line %d outside 1..%d", it.Line, lines)
			}
		}
		if len(lineErrs) > MaxLineErrors {
			t.Fatalf("%d errors, cap is %d", len(lineErrs), MaxLineErrors)
		}
		if !slices.IsSortedFunc(lineErrs, func(a, b LineError) int { return a.Line - b.Line }) {
			t.Fatalf("errors out of order: %v", lineErrs)
		}
		for _, e := range lineErrs {
			if e.Line < 1 || e.Line > lines || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
	})
}
