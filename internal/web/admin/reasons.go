package admin

import (
	"slices"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/tagging"
)

// reasonText says why a tag was set in lang. The tagger writes a reason
// as an English label and the words that matched ("name: Haiti",
// "model: health, psicosocial (title)"), what the desk's corrections
// show ("corrections: added to 7 of 9 corrected stories on
// children-youth"), or "editor"; the API answers with it so, and the
// console says it in the page's language ("nom : Haiti", "corrections :
// ajouté à 7 des 9 articles corrigés sur « Enfance et jeunesse »"),
// naming topics by their names and keeping the story's words as they
// are. A reason of another shape is shown as it is.
func reasonText(lang, reason string) string {
	if reason == domain.ReasonEditor {
		return msg(lang, "reason_editor")
	}
	if r, ok := tagging.ParseDeskReason(reason); ok {
		return label(lang, msg(lang, "reason_corrections")) + " " + deskReasonText(lang, r)
	}
	labels := tagging.ReasonLabels()
	if slices.Contains(labels, reason) {
		return msg(lang, "reason_"+reason) // the model, with no word to quote
	}
	name, words, ok := strings.Cut(reason, ": ")
	if !ok || !slices.Contains(labels, name) {
		return reason
	}
	if name == "model" {
		parts := strings.Split(words, ", ")
		for i, p := range parts {
			parts[i] = modelReasonPart(lang, p)
		}
		words = strings.Join(parts, ", ")
	}
	return label(lang, msg(lang, "reason_"+name)) + " " + words
}

// deskReasonText says in lang what the desk's corrections show.
func deskReasonText(lang string, r tagging.DeskReason) string {
	switch {
	case r.Added:
		return tf(lang, "reason_desk_added", r.Count, r.Of, reasonTopicName(lang, r.With))
	case r.Untitled:
		return tf(lang, "reason_desk_removed_untitled", r.Count, r.Of)
	}
	return tf(lang, "reason_desk_removed", r.Count, r.Of)
}

// modelReasonPart says one of the things a model's reason quotes: a
// word of the story, as it is; what the rules found of a topic, by the
// topic's name ("children-youth" is "Niñez y juventud", "protection?" a
// hint of it); either in the title.
func modelReasonPart(lang, part string) string {
	p, inTitle := strings.CutSuffix(part, tagging.InTitle)
	if hint, ok := strings.CutSuffix(p, "?"); ok && isTopic(lang, hint) {
		p = tf(lang, "reason_hint", reasonTopicName(lang, hint))
	} else if isTopic(lang, p) {
		p = reasonTopicName(lang, p)
	}
	if inTitle {
		p = tf(lang, "reason_in_title", p)
	}
	return p
}

// isTopic reports whether a reason's word is a topic's slug: a slug has
// a name in the catalogue. A word of the story that is also a slug
// ("health") is then named like the topic, which says the same.
func isTopic(lang, slug string) bool {
	_, ok := i18n.Lookup(lang, "topic."+slug)
	return ok
}

func reasonTopicName(lang, slug string) string { return domain.Topic{Slug: slug}.Name(lang) }
