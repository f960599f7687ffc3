package subscribers

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/taxonomy"
)

// TestCSVReaderTakesNames: a list from another tool names countries and
// topics as people read them, in any language of the catalogue, with or
// without accents; they are read as their codes. What is neither a code
// nor a name is reported as the file wrote it, and a row with nothing
// chosen is told how a file says what it wants.
func TestCSVReaderTakesNames(t *testing.T) {
	t.Parallel()
	in := "email,countries,topics,language\n" +
		"ana@example.org,Costa Rica;haiti;México,Labour migration|Migración laboral;salud,en\n" +
		"bo@example.org,Narnia;CR,Gardening,es\n" +
		"cy@example.org,,,fr\n" +
		"di@example.org,Atlantis,,en\n"
	r, err := NewCSVReader(strings.NewReader(in), taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	var rows []CSVRow
	for r.Next() {
		rows = append(rows, r.Row())
	}
	want := []CSVRow{{Line: 2, Email: "ana@example.org",
		Filter: filter([]string{"CR", "HT", "MX"}, []string{"health", "labour-migration"}, "en", "any")}}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	var got []string
	for _, le := range r.Errors() {
		got = append(got, le.Message)
	}
	wantErrs := []string{
		`countries: unknown country "Narnia"; write its code (CR) or its name (Costa Rica)`,
		`topics: unknown topic "Gardening"; write its code (labour-migration) or its name (Labour migration)`,
		`countries, topics: both empty; give a country or a topic, or "*" in countries for all stories`,
		// Its one country unknown, the row is not also said to be empty.
		`countries: unknown country "Atlantis"; write its code (CR) or its name (Costa Rica)`,
	}
	if d := cmp.Diff(wantErrs, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
}
