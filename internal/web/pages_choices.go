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
	ticked, was := v["regions"], v["regions_was"]
	for _, code := range append(slices.Clone(ticked), was...) {
		if !tax.HasRegion(code) {
			return domain.Filter{}, errs.New(errs.Invalid, "regions: unknown region %q", code)
		}
	}
	for _, code := range ticked {
		if r, _ := tax.Region(code); !slices.Contains(was, code) {
			f.Countries = append(f.Countries, r.Countries...)
		}
	}
	for _, code := range was {
		if r, _ := tax.Region(code); !slices.Contains(ticked, code) {
			f.Countries = slices.DeleteFunc(f.Countries, func(c string) bool { return slices.Contains(r.Countries, c) })
		}
	}
	f.Normalize()
	return f, nil
}
