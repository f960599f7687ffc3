package admin

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
)

// The services write their messages in English ("field: what is wrong");
// the console shows them in the page's language. The [error] section of
// the catalogue holds each message: the source file as the code writes
// it, which is how a message is found, the others translated.
// errors_i18n_test.go checks each English one is still in the code, so a
// reworded message fails the tests instead of silently falling back to
// English.

// errorKeys maps each English format of the catalogue's [error] section
// to its key: each of the forms of a counted message ("1 invalid item",
// "2 invalid items"), as the code writes one or the other.
var errorKeys = sync.OnceValue(func() map[string]string {
	c := i18n.Default()
	keys := map[string]string{}
	for _, key := range c.Keys(i18n.Source) {
		if strings.HasPrefix(key, "error.") {
			for _, form := range c.Forms(i18n.Source, key) {
				keys[form] = key
			}
		}
	}
	return keys
})

// argWords says how the arguments of a message that are English words (a
// status, a field name) are found in another language: the argument at
// position pos is looked up under prefix in the catalogue, by name(arg).
type argWords struct {
	pos    int
	prefix string
	name   func(string) string
}

// errorArgs are the messages with such arguments, by key. A word the
// catalogue lacks shows the English message whole rather than a mix.
var errorArgs = map[string][]argWords{
	"error.url_private_address":     {{1, "error_address.", slug}},
	"error.fetch_private_address":   {{1, "error_address.", slug}},
	"error.edition_not_cancellable": {{1, "console.editions_status_", same}},
	"error.edition_not_retryable":   {{1, "console.editions_status_", same}},
	// The status words are the console's own (sub_status_*).
	"error.subscriber_already":    {{0, "console.sub_status_", same}},
	"error.subscriber_transition": {{0, "console.sub_status_", same}, {1, "console.sub_status_", same}},
	"error.password_too_short":    {{0, "error_password.", same}},
	"error.password_too_long":     {{0, "error_password.", same}},
	"error.not_found_what":        {{0, "error_what.", slug}},
	// What the CSV reader says of a line (encoding/csv's ErrBareQuote, ErrQuote).
	"error.csv_not_csv":        {{0, "error_csv.", slug}},
	"error.csv_header_not_csv": {{0, "error_csv.", slug}},
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// slug is the key of an English phrase: "carrier-grade NAT (shared)" is
// carrier_grade_nat_shared.
func slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "_"), "_")
}

func same(s string) string { return s }

// errorText is err's message in lang: the catalogue's translation when it
// has the message, else the English one (which also keeps internal
// errors generic).
func errorText(lang string, err error) string {
	if lang == i18n.Source || errs.KindOf(err) == errs.Internal {
		return errs.MessageOf(err)
	}
	format, args, ok := errs.TemplateOf(err)
	if !ok {
		return errs.MessageOf(err)
	}
	if text, ok := errorWords(lang, format, args); ok {
		return text
	}
	return errs.MessageOf(err)
}

// fieldProblem is errorText for a form: a message that names one of its
// fields as the code does ("frequencies: offer at least one") names it
// instead as the page labels it (labels: field to message key), without
// the label's explanation in brackets: "Frequencies readers may choose:
// offer at least one", in lang.
func fieldProblem(lang string, err error, labels map[string]string) string {
	text := errorText(lang, err)
	field, _, named := strings.Cut(errs.MessageOf(err), ":")
	key, labelled := labels[field]
	_, rest, found := strings.Cut(text, ":")
	if !named || !labelled || !found {
		return text
	}
	name, _, _ := strings.Cut(msg(lang, key), " (")
	return label(lang, name) + " " + strings.TrimSpace(rest)
}

// errorWords says in lang a service message kept as its English format
// and arguments (a source's last error); ok is false when the catalogue
// lacks the message or a word of its arguments.
func errorWords(lang, format string, args []any) (string, bool) {
	key, ok := errorKeys()[format]
	if !ok {
		return "", false
	}
	return fillMessage(lang, key, args, errorArgs[key])
}

// fillMessage is the message key in lang filled with args, those that
// words names said in lang first; ok is false when one has no words.
func fillMessage(lang, key string, args []any, words []argWords) (string, bool) {
	args = append([]any(nil), args...)
	for _, w := range words {
		word, ok := translateArg(lang, w, args)
		if !ok {
			return "", false
		}
		args[w.pos] = word
	}
	if n, ok := count(args); ok && len(i18n.Default().Forms(i18n.Source, key)) > 1 {
		return i18n.Plural(lang, key, n, args...), true
	}
	return fmt.Sprintf(i18n.Text(lang, key), args...), true
}

// count is the count of a counted message: its first whole-number
// argument (an int as the code gives it, an int64 as storage gives it
// back), the one its plural forms are chosen by.
func count(args []any) (int, bool) {
	for _, a := range args {
		switch n := a.(type) {
		case int:
			return n, true
		case int64:
			return int(n), true
		}
	}
	return 0, false
}

// translateArg is the argument w names, in lang.
func translateArg(lang string, w argWords, args []any) (string, bool) {
	if w.pos >= len(args) {
		return "", false
	}
	s, isString := args[w.pos].(string)
	if !isString {
		return "", false
	}
	// "subscriber someone@example.org" is the sample address the
	// preview looked up.
	if addr, found := strings.CutPrefix(s, "subscriber "); found && w.prefix == "error_what." {
		return fmt.Sprintf(i18n.Text(lang, "error_what.subscriber_address"), addr), true
	}
	return i18n.Lookup(lang, w.prefix+w.name(s))
}
