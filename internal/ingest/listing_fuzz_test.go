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
// point into the input, and errors come in line order. order picks the
// date order (unknown, mdy, dmy). The corpus the fuzzer finds worth
// keeping lives in testdata/fuzz/FuzzParseListing.
func FuzzParseListing(f *testing.F) {
	fixture := readFixture(f)
	f.Add(fixture, uint8(0))
	f.Add(bytes.ReplaceAll(fixture, []byte("\n"), []byte("\r\n")), uint8(0))
	f.Add([]byte("\uFEFF32 Foo, 2020\n\nTitle\n\n16 de diciembre de 2020\nTítulo\nhttps://example.org\n"), uint8(0))
	f.Add([]byte("Wednesday, September 5, 2018\n\n\n\n2020-12-16\n5 Enero, 2018\nx\n\ny\n\nz"), uint8(0))
	f.Add([]byte{0xFF, 0xFE, '1', 0, ' ', 0, 'M', 0}, uint8(0))
	f.Add([]byte("04/10/2019\nIOM´s title\n\n16.12.2020\nT\n\n13/04/2019\nT\n\n04/10\nT\n\n1/2/20\nx"), uint8(1))
	f.Add([]byte("Wednesday 09/12/2020\nT\n\n12-16-2020\nT’s\n"), uint8(2))
	f.Fuzz(func(t *testing.T, in []byte, order uint8) {
		items, lineErrs, err := ParseListing(bytes.NewReader(in), WithDateOrder(DateOrder(order%3)))
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
