package ingest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
)

// ignoreReasons compares tags without their reasons, which the tagging
// package tests.
var ignoreReasons = cmpopts.IgnoreFields(tagging.Tags{}, "Reasons", "Declined")

func newTestTagger(t testing.TB) *tagging.Tagger {
	t.Helper()
	tg, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// The tags an editor would set on each item of the fixture.
func TestTagFixture(t *testing.T) {
	items, lineErrs, err := ParseListing(bytes.NewReader(readFixture(t)))
	if err != nil || len(lineErrs) > 0 || len(items) != 10 {
		t.Fatalf("fixture: %d items, %v, %v", len(items), lineErrs, err)
	}
	tg := newTestTagger(t)
	tests := []struct {
		title string // start of the item's title
		want  tagging.Tags
	}{
		{"Mexico: UN agencies promote labor inclusion",
			tagging.Tags{Countries: []string{"MX"}, Regions: []string{}, Topics: []string{"health", "labour-migration"}}},
		{"Costa Rica: IOM presents labor market research study",
			tagging.Tags{Countries: []string{"CR"}, Regions: []string{}, Topics: []string{"data-research", "labour-migration"}}},
		{"RCM countries discuss migration management",
			tagging.Tags{Countries: []string{}, Regions: []string{"rcm"}, Topics: []string{"migration-governance", "mixed-movements"}}},
		{"Central American countries, Mexico and the Dominican Republic",
			tagging.Tags{Countries: []string{"DO", "MX"}, Regions: []string{"central-america"}, Topics: []string{"trafficking-smuggling"}}},
		{"Mexico: IOM and its Partners Facilitate Access",
			tagging.Tags{Countries: []string{"MX"}, Regions: []string{}, Topics: []string{"communication", "health"}}},
		{"General Directorate of Migration closes training cycle in Dajabón",
			tagging.Tags{Countries: []string{"DO"}, Regions: []string{}, Topics: []string{"border-management", "capacity-building"}}},
		{"Governments and local organizations will be able to receive training",
			tagging.Tags{Countries: []string{}, Regions: []string{}, Topics: []string{"capacity-building", "communication"}}},
		{"Member Countries of the Regional Conference on Migration (RCM)",
			tagging.Tags{Countries: []string{}, Regions: []string{"rcm"}, Topics: []string{"children-youth", "protection"}}},
		{"Honduras: construction of migration policy continues",
			tagging.Tags{Countries: []string{"HN"}, Regions: []string{}, Topics: []string{"migration-governance"}}},
		{"Panama: IOM collaborates with Morgan & Morgan",
			tagging.Tags{Countries: []string{"PA"}, Regions: []string{}, Topics: []string{"integration", "protection"}}},
	}
	for i, tc := range tests {
		t.Run(tc.title, func(t *testing.T) {
			it := items[i]
			if !strings.HasPrefix(it.Title, tc.title) {
				t.Fatalf("item %d is %q", i, it.Title)
			}
			if diff := cmp.Diff(tc.want, tg.Tag(it.Title, it.Summary, "en"), ignoreReasons); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkTag(b *testing.B) {
	items, _, _ := ParseListing(bytes.NewReader(readFixture(b)))
	tg := newTestTagger(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := items[i%len(items)]
		tg.Tag(it.Title, it.Summary, "en") // as Importer.Item calls it, language known
	}
}
