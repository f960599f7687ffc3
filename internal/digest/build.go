package digest

import (
	"slices"
	"strconv"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// BuildDigest lays out matched sections as the renderer wants them:
// headings and tags named in lang, sections in the reader's order
// (order.go), items in section order. Items missing from items (deleted
// since) are left out.
func BuildDigest(tax *taxonomy.Taxonomy, lang string, sections []Section, items []domain.Item) render.Digest {
	return buildDigest(NewStories(tax, items), lang, sections, storyLinks{})
}

// storyLinks are the links a mail's stories carry besides their title's:
// nil funcs leave them out (the web digest, a preview of a filter).
type storyLinks struct {
	// story is where a story's title links instead of its own address
	// (a counted /r/ link); "" leaves it as it is.
	story func(itemID int64) string
	// fewer is the link that drops a section's country or topic from the
	// reader's choices; "" for a section that names no choice.
	fewer func(sec Section) string
}

func buildDigest(stories *Stories, lang string, sections []Section, links storyLinks) render.Digest {
	tax := stories.tax
	names := stories.tagNames(lang)
	d := render.Digest{Language: lang}
	var kinds []string
	for _, sec := range sections {
		out := render.Section{Title: sectionTitle(tax, lang, sec)}
		fewer := ""
		if links.fewer != nil {
			fewer = links.fewer(sec)
		}
		for _, id := range sec.Items {
			it := stories.story(id)
			if it == nil {
				continue
			}
			ri := render.Item{
				Title:       it.Title,
				Summary:     it.Summary,
				URL:         it.URL,
				PublishedOn: it.PublishedOn.String(),
				Tags:        names[id],
				Anchor:      StoryAnchor(it.ID),
				FewerURL:    fewer,
				Language:    it.Language,
			}
			if links.story != nil {
				if l := links.story(it.ID); l != "" {
					ri.URL = l
				}
			}
			out.Items = append(out.Items, ri)
		}
		if sec.Kind == KindRegional {
			out.SubjectName = regionsOf(stories, lang, sec.Items)
		}
		if len(out.Items) > 0 {
			d.Sections = append(d.Sections, out)
			kinds = append(kinds, sec.Kind)
		}
	}
	orderSections(lang, d.Sections, kinds)
	return d
}

// regionsOf names the regions the stories of a Regional section are
// tagged with, each once, in the order met ("Central America, Caribbean").
func regionsOf(stories *Stories, lang string, ids []int64) string {
	var names []string
	for _, id := range ids {
		it := stories.story(id)
		if it == nil {
			continue
		}
		for _, code := range it.Regions {
			if r, ok := stories.tax.Region(code); ok && !slices.Contains(names, r.Name(lang)) {
				names = append(names, r.Name(lang))
			}
		}
	}
	return strings.Join(names, ", ")
}

// StoryAnchor is the id of a story on the web digest, which the email
// links a story without a URL of its own to.
func StoryAnchor(id int64) string {
	return "story-" + strconv.FormatInt(id, 10)
}

func sectionTitle(tax *taxonomy.Taxonomy, lang string, sec Section) string {
	switch sec.Kind {
	case KindCountry:
		if c, ok := tax.Country(sec.Key); ok {
			return c.Name(lang)
		}
	case KindTopic:
		if t, ok := tax.Topic(sec.Key); ok {
			return t.Name(lang)
		}
	case KindRegional:
		// The section of items tagged with a region.
		return i18n.Text(lang, "digest.regional")
	case KindOther:
		// The untagged stories a reader of all stories gets.
		return i18n.Text(lang, "digest.other_stories")
	}
	return sec.Key
}

// TagNames names an item's countries, regions and topics in lang, as
// the digest and the archive show them.
func TagNames(tax *taxonomy.Taxonomy, lang string, it domain.Item) []string {
	var out []string
	for _, code := range it.Countries {
		if c, ok := tax.Country(code); ok {
			out = append(out, c.Name(lang))
		}
	}
	for _, code := range it.Regions {
		if r, ok := tax.Region(code); ok {
			out = append(out, r.Name(lang))
		}
	}
	for _, slug := range it.Topics {
		if t, ok := tax.Topic(slug); ok {
			out = append(out, t.Name(lang))
		}
	}
	return out
}

// MaxEmailStories is the most stories one email holds. A week can match
// far more for a broad choice; the email then shows a fair share of every
// section and links to the web view of the whole digest, so nothing is
// lost and the email stays readable and small.
const MaxEmailStories = 30

// LimitSections cuts sections to at most max stories, taking them from
// the sections in turn (the first of each in its order, RankStories) so
// that no section is crowded out, and returns how many it left out: the
// lowest-ranked of each section go first. It works on ids, before
// anything is looked up or rendered.
func LimitSections(sections []Section, max int) ([]Section, int) {
	total := 0
	for _, s := range sections {
		total += len(s.Items)
	}
	if total <= max {
		return sections, 0
	}
	keep := make([]int, len(sections))
	for taken := 0; taken < max; {
		for i, s := range sections {
			if keep[i] < len(s.Items) && taken < max {
				keep[i]++
				taken++
			}
		}
	}
	out := make([]Section, len(sections))
	for i, s := range sections {
		out[i] = s
		out[i].Items = s.Items[:keep[i]]
	}
	return out, total - max
}
