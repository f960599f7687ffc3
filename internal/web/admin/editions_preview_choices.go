package admin

import (
	"slices"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/taxonomy"
)

// previewChoices are the preview form's choices laid out as the
// subscription form lays them out (taxonomy.Groups): all stories, the
// regions with their "every country in" box and their countries, the
// other countries (the desk's own first), the topics. An editor previews
// what a reader can choose, not a list of every ISO code.
type previewChoices struct {
	All    bool
	Groups []taxonomy.Group
	// DeskOthers are the countries of no region the desk has stories
	// about, offered before the rest (Others).
	DeskOthers, Others []taxonomy.Choice
	Topics             []option
}

// OthersChosen counts the chosen countries of the "other countries" list,
// so that it opens when one is.
func (p previewChoices) OthersChosen() bool {
	for _, c := range slices.Concat(p.DeskOthers, p.Others) {
		if c.Chosen {
			return true
		}
	}
	return false
}

// readPreviewSample reads a preview's sample (readSample) and the
// choices only the form has: "all stories" and the regions' boxes, which
// are turned into their countries here as the subscription form does.
func (a *Console) readPreviewSample(c *gin.Context, get func(string) string, getAll func(string) []string) (editions.Sample, bool, error) {
	s, asked, err := readSample(get, getAll)
	if err != nil {
		return s, asked, err
	}
	s.Filter.All = get("all") != ""
	ticked, was := getAll("regions"), getAll("regions_was")
	if len(ticked) > 0 || len(was) > 0 {
		tax, err := a.Taxonomy.Taxonomy(c.Request.Context())
		if err != nil {
			return s, false, err
		}
		countries, unknown := tax.ExpandRegions(s.Filter.Countries, ticked, was)
		if unknown != "" {
			return s, false, errs.New(errs.Invalid, "regions: unknown region %q", unknown)
		}
		s.Filter.Countries = countries
	}
	return s, asked || s.Filter.All || len(s.Filter.Countries) > 0, nil
}

// previewChoicesOf lays the choices out in lang, with what s chose ticked.
func (a *Console) previewChoicesOf(c *gin.Context, lang string, tax *taxonomy.Taxonomy, s editions.Sample) (previewChoices, error) {
	f := s.Filter
	p := previewChoices{All: f.All}
	var others []taxonomy.Choice
	p.Groups, others = tax.Groups(lang, f.Countries, f.All)
	desk, err := a.Items.StoryCountries(c.Request.Context())
	if err != nil {
		return p, err
	}
	for _, o := range others {
		if slices.Contains(desk, o.Code) {
			p.DeskOthers = append(p.DeskOthers, o)
		} else {
			p.Others = append(p.Others, o)
		}
	}
	for _, t := range tax.Topics {
		p.Topics = append(p.Topics, option{t.Slug, t.Name(lang), contains(f.Topics, t.Slug)})
	}
	return p, nil
}
