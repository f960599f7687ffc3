package tagtest_test

import (
	"slices"
	"strings"
	"testing"

	"newsdigest/internal/tagging"
	"newsdigest/internal/tagging/tagtest"
)

// The simulated desk applies its conventions to French stories as it does
// to English and Spanish ones: the words that trigger a habit are listed
// in every language the labelled items are written in.
func TestDeskConventionsHoldInFrench(t *testing.T) {
	items, err := tagging.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		title string
		want  []string
	}{
		// "Matrice" in the title says research, as "matrix" and "matriz" do.
		{"La Matrice de suivi des déplacements recense", []string{"data-research", "emergencies"}},
		// An assistance line is an information service, as a hotline is.
		{"Haïti : une ligne d’assistance gratuite", []string{"migration-governance"}},
		// Psychosocial support is protection, not health.
		{"Santé mentale : soutien psychosocial", []string{"protection"}},
	} {
		i := slices.IndexFunc(items, func(ex tagging.Example) bool { return strings.HasPrefix(ex.Title, c.title) })
		if i < 0 {
			t.Fatalf("no labelled item %q", c.title)
		}
		if got := tagtest.DeskTopics(items[i]); !slices.Equal(got, c.want) {
			t.Errorf("%s: the desk gives %v, want %v", c.title, got, c.want)
		}
	}
}
