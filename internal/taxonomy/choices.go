package taxonomy

import "slices"

// Choice is one country of a form's list, named in the form's language.
type Choice struct {
	Code, Name string
	Chosen     bool
}

// Group is a region's countries, folded under the region's name on a
// form, with a box for "every country in" it.
type Group struct {
	Code, Name string
	Countries  []Choice
	// AllChosen: every member of the region is chosen, so its box shows
	// ticked.
	AllChosen bool
}

// Groups lays out the countries a reader (or an editor previewing what a
// reader gets) can choose: each under the first region that holds it,
// alphabetically in lang, and the countries of no region in one list
// after them. all marks the "all stories" choice, under which no region
// shows as chosen. The subscription form and the console's preview use
// this one layout, so an editor sees the choices readers have.
func (t *Taxonomy) Groups(lang string, chosen []string, all bool) (groups []Group, others []Choice) {
	shown := map[string]bool{}
	for _, r := range t.Regions {
		// Regions overlap (CARICOM lies within the Caribbean): a region
		// whose members are mostly listed already gets no group of its own.
		fresh := 0
		for _, code := range r.Countries {
			if !shown[code] {
				fresh++
			}
		}
		if fresh*2 < len(r.Countries) {
			continue
		}
		g := Group{Code: r.Code, Name: r.Name(lang), AllChosen: !all && containsAll(chosen, r.Countries)}
		for _, code := range r.Countries {
			c, ok := t.Country(code)
			if !ok || shown[code] {
				continue
			}
			shown[code] = true
			g.Countries = append(g.Countries, Choice{code, c.Name(lang), slices.Contains(chosen, code)})
		}
		if len(g.Countries) > 0 {
			sortChoices(lang, g.Countries)
			groups = append(groups, g)
		}
	}
	for _, c := range t.Countries {
		if !shown[c.Code] {
			others = append(others, Choice{c.Code, c.Name(lang), slices.Contains(chosen, c.Code)})
		}
	}
	sortChoices(lang, others)
	return groups, others
}

// ExpandRegions turns a form's "every country in" boxes into countries,
// so what is stored or previewed stays a list of countries. What counts
// is a box's change: was lists the boxes that were ticked when the page
// was shown, so that ticking one adds its countries, unticking it
// removes them, and leaving it as it was lets the country boxes say what
// is chosen. An unknown region is returned as unknown, and no countries.
func (t *Taxonomy) ExpandRegions(countries, ticked, was []string) (out []string, unknown string) {
	out = slices.Clone(countries)
	for _, code := range append(slices.Clone(ticked), was...) {
		if !t.HasRegion(code) {
			return nil, code
		}
	}
	for _, code := range ticked {
		if r, _ := t.Region(code); !slices.Contains(was, code) {
			out = append(out, r.Countries...)
		}
	}
	for _, code := range was {
		if r, _ := t.Region(code); !slices.Contains(ticked, code) {
			out = slices.DeleteFunc(out, func(c string) bool { return slices.Contains(r.Countries, c) })
		}
	}
	return out, ""
}

func containsAll(set, members []string) bool {
	for _, m := range members {
		if !slices.Contains(set, m) {
			return false
		}
	}
	return len(members) > 0
}

func sortChoices(lang string, cs []Choice) {
	compare := Compare(lang)
	slices.SortFunc(cs, func(a, b Choice) int { return compare(a.Name, b.Name) })
}

// Chosen counts the group's chosen countries.
func (g Group) Chosen() int {
	n := 0
	for _, c := range g.Countries {
		if c.Chosen {
			n++
		}
	}
	return n
}
