package admin

import (
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"newsdigest/internal/domain"
)

// Figures with a fraction are written as the page's language writes them,
// by CLDR's rules (golang.org/x/text): "1.7" and "12.5%" in English,
// "1,7" and "12,5 %" in French and Spanish. Whole counts stay %d in the
// messages.

// decimal writes x with one decimal: "1.7", "1,7".
func decimal(lang string, x float64) string {
	return message.NewPrinter(language.Make(lang)).Sprint(number.Decimal(x, number.MinFractionDigits(1), number.MaxFractionDigits(1)))
}

// percentText writes share (0.25 for a quarter) as a percentage with at
// most places decimals: "25%", "25 %", "0,1 %".
func percentText(lang string, share float64, places int) string {
	return message.NewPrinter(language.Make(lang)).Sprint(number.Percent(share, number.MaxFractionDigits(places)))
}

// pausePercent is the share of the messages tried that made an edition
// pause itself: "5.3%", "5,3 %".
func pausePercent(lang string, n domain.EditionPauseNote) string {
	if n.Of == 0 {
		return percentText(lang, 0, 1)
	}
	return percentText(lang, float64(n.Count)/float64(n.Of), 1)
}

// label puts a label before what it labels with the language's colon:
// "Status:", "État :" (a no-break space before it in French).
func label(lang, text string) string {
	return tf(lang, "label", text)
}
