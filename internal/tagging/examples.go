package tagging

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// The desk's labelled items: what an editor tagged, written down with the
// code so that the model has something to learn from before the first
// correction, and so that the tagger's quality can be measured.
//
//go:embed data/labelled.tsv
var labelledTSV string

// Example is one item with the tags an editor gave it
// (domain.TagExample): the labelled items that ship with the code, and the
// desk's corrections.
type Example = domain.TagExample

// SeedExamples returns the labelled items that ship with the code.
func SeedExamples() ([]Example, error) {
	return ReadExamples(strings.NewReader(labelledTSV))
}

// ReadExamples reads labelled items, one a line, tab-separated: language,
// countries, regions, topics (comma-separated codes, "-" for none), title,
// summary. Lines starting with "#" and blank lines are skipped.
func ReadExamples(r io.Reader) ([]Example, error) {
	list := func(s string) []string {
		if s == "-" {
			return []string{}
		}
		out := strings.Split(s, ",")
		slices.Sort(out)
		return out
	}
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 {
			return nil, fmt.Errorf("labelled items line %d: %d columns, want 6", n, len(c))
		}
		if !i18n.Has(c[0]) {
			return nil, fmt.Errorf("labelled items line %d: language %q, want one of %s", n, c[0], strings.Join(i18n.Languages(), ", "))
		}
		out = append(out, Example{Line: n, Lang: c[0], Countries: list(c[1]), Regions: list(c[2]),
			Topics: list(c[3]), Title: c[4], Summary: c[5]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("labelled items: %w", err)
	}
	return out, nil
}
