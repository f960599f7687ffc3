package digest

import (
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// A narrow reader whose one story came through a region gets a subject
// naming the region, not "1 new story: Regional".
func TestRegionalSectionNamesItsRegionsInTheSubject(t *testing.T) {
	tax := taxonomy.Default()
	items := []domain.Item{{ID: 1, Title: "Border officials trained", Regions: []string{"central-america"},
		Topics: []string{"trafficking-smuggling"}, PublishedOn: domain.Date{}}}
	f := domain.Filter{Countries: []string{"CR"}, Topics: []string{"trafficking-smuggling"}, Mode: domain.ModeNarrow, Language: "es"}
	secs := Match(f, items, RegionMembers{"central-america": {"CR", "PA"}}, nil)
	d := BuildDigest(tax, "es", secs, items)
	if len(d.Sections) != 1 || d.Sections[0].Title != "Regional" || d.Sections[0].SubjectName != "Centroamérica" {
		t.Fatalf("sections %+v, want one Regional section named Centroamérica in the subject", d.Sections)
	}
}
