package admin

import (
	"slices"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/tagging"
)

// reasonText says why a tag was set in lang. The tagger writes a reason
// as an English label and the words that matched ("name: Haiti",
// "model: health, psicosocial (title)"), or "editor"; the API answers
// with it so, and the console names the label in the page's language
// ("nom : Haiti"), keeping the story's words and the topics' slugs as
// they are. A reason of another shape is shown as it is.
func reasonText(lang, reason string) string {
	if reason == domain.ReasonEditor {
		return msg(lang, "reason_editor")
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
			if w, found := strings.CutSuffix(p, tagging.InTitle); found {
				parts[i] = tf(lang, "reason_in_title", w)
			}
		}
		words = strings.Join(parts, ", ")
	}
	return label(lang, msg(lang, "reason_"+name)) + " " + words
}
