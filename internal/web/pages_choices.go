package web

import (
	"net/url"
	"slices"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/taxonomy"
)

// maxChoiceValues bounds how many values one field of the choices may
// carry: more than any real form sends (every country once, and then
// some), so that a crafted query costs nothing.
const maxChoiceValues = 400

// choicesOf reads the choices of the subscription or preferences form,
// posted or (for the estimate) in a query. The form's "all of this
// region" boxes (regions) are expanded here into the region's countries,
// so what is stored stays a list of countries. What counts is a box's
// change: regions_was lists the boxes that were ticked when the page was
// shown, so that ticking one adds its countries, unticking it removes
// them, and leaving it as it was lets the country boxes say what is
// chosen (unticking one country of a whole region, without JavaScript,
// does not bring it back). The filter is normalised; only the regions
// are checked here, the rest is domain.Filter's to check.
func choicesOf(v url.Values, tax *taxonomy.Taxonomy) (domain.Filter, error) {
	for _, field := range []string{"countries", "topics", "regions", "regions_was"} {
		if len(v[field]) > maxChoiceValues {
			// The field is part of the format, which pages_errors.go
			// looks up to tell the person in plain words.
			return domain.Filter{}, errs.New(errs.Invalid, field+": more than %d values", maxChoiceValues)
		}
	}
	f := domain.Filter{
		All:       v.Get("all") != "",
		Countries: slices.Clone(v["countries"]),
		Topics:    v["topics"],
		Language:  v.Get("language"),
		Mode:      v.Get("mode"),
	}
	countries, unknown := tax.ExpandRegions(f.Countries, v["regions"], v["regions_was"])
	if unknown != "" {
		return domain.Filter{}, errs.New(errs.Invalid, "regions: unknown region %q", unknown)
	}
	f.Countries = countries
	f.Normalize()
	return f, nil
}
