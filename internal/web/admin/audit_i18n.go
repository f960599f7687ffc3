package admin

import (
	"fmt"
	"strings"
	"sync"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// The services write the audit log's details in English ("window new
// since the last edition", "listing: 3 new, 0 duplicates, 0 updated")
// and keep the format and arguments they made them from
// (domain.AuditEntry.Words). The console says them in the page's
// language as it does the services' errors: the [audit] section of the
// catalogue holds each format, the English one as the code writes it,
// which is how a detail is found. audit_i18n_test.go checks that every
// Audit call's format is there.

// auditKeys maps each English format of the catalogue's [audit] section
// to its keys: several details are only "%s", told apart by action.
var auditKeys = sync.OnceValue(func() map[string][]string {
	c := i18n.Default()
	keys := map[string][]string{}
	for _, key := range c.Keys(i18n.Source) {
		if strings.HasPrefix(key, "audit.") {
			format := c.Text(i18n.Source, key)
			keys[format] = append(keys[format], key)
		}
	}
	return keys
})

// auditMessage is how a detail of the [audit] section is said.
type auditMessage struct {
	// action is the one action whose detail this is, for a format others
	// share ("%s"); "" for any action.
	action string
	args   []auditArg
}

// auditArg says the argument at pos, an English word or list, in lang.
type auditArg struct {
	pos int
	say func(lang, arg string) (string, bool)
}

// auditMessages are the details with an action of their own or with
// arguments in words, by key; the others are filled as they are.
var auditMessages = map[string]auditMessage{
	"audit.fields":               {"item.update", []auditArg{{0, listOf(fieldWord)}}},
	"audit.tag_changes":          {"item.retag", []auditArg{{0, tagChanges}}},
	"audit.test_send_filter":     {"", []auditArg{{1, named("audit_word.", slug)}}},
	"audit.test_send_subscriber": {"", []auditArg{{1, named("audit_word.", slug)}}},
	"audit.cancelled":            {"", []auditArg{{0, named("console.editions_status_", same)}}},
	"audit.bounce_delivery": {"", []auditArg{{0, named("audit_word.bounce_", same)},
		{4, named("console.sub_status_", same)}, {5, named("console.sub_status_", same)}}},
	"audit.bounce_notice": {"", []auditArg{{0, named("audit_word.bounce_", same)},
		{2, named("console.sub_status_", same)}, {3, named("console.sub_status_", same)}}},
	"audit.schedule_settings": {"", []auditArg{{0, listOf(named("audit_word.frequency_", same))}}},
	"audit.items_imported":    {"", []auditArg{{0, named("audit_word.kind_", same)}}},
	"audit.source_created":    {"", []auditArg{{0, named("audit_word.kind_", same)}}},
	"audit.source_deleted":    {"", []auditArg{{0, named("audit_word.kind_", same)}}},
	"audit.source_updated":    {"", []auditArg{{0, named("audit_word.kind_", same)}, {3, named("audit_word.kind_", same)}}},
	"audit.editor_created":    {"", []auditArg{{1, listOf(roleWord)}}},
	"audit.roles":             {"", []auditArg{{0, listOf(roleWord)}}},
}

// formerFormats are details the services once wrote in words since
// changed, with the format that says them now: an entry recorded with
// one is said as a new one would be, in every language, English too.
var formerFormats = map[string]string{
	"%d failed deliveries retried, %d skipped (no longer active)":   "failed deliveries retried: %d; skipped (no longer active, or had every story since): %d",
	"failed deliveries retried: %d; skipped (no longer active): %d": "failed deliveries retried: %d; skipped (no longer active, or had every story since): %d",
	"frequencies %s, minimum %d stories, wait %d days":              "frequencies: %s; minimum stories: %d; longest wait in days: %d",
	"%s: %d new, %d duplicates, %d updated":                         "%s (new: %d; duplicates: %d; updated: %d)",
	"%s %s (%d items kept)":                                         "%s %s (items kept: %d)",
}

// auditDetail is an entry's detail in lang: the catalogue's words when
// it has them, else the detail as recorded (always so for an entry
// recorded before its words were kept).
func auditDetail(lang string, e domain.AuditEntry) string {
	if now, ok := formerFormats[e.Words.Format]; ok {
		e.Words.Format = now
		if lang == i18n.Source {
			return fmt.Sprintf(now, e.Words.Args...)
		}
	}
	if lang == i18n.Source || e.Words.Format == "" {
		return e.Detail
	}
	key, ok := auditKey(e.Action, e.Words.Format)
	if !ok {
		return e.Detail
	}
	args := make([]any, len(e.Words.Args))
	copy(args, e.Words.Args)
	for _, a := range auditMessages[key].args {
		s, isString := argAt(args, a.pos)
		if !isString {
			return e.Detail
		}
		word, ok := a.say(lang, s)
		if !ok {
			return e.Detail
		}
		args[a.pos] = word
	}
	if len(args) == 0 {
		return i18n.Text(lang, key)
	}
	return fmt.Sprintf(i18n.Text(lang, key), args...)
}

// auditKey is the key of the detail format of an entry of action: the
// one for this action when several share the format, else the one for
// any.
func auditKey(action, format string) (string, bool) {
	general := ""
	for _, key := range auditKeys()[format] {
		switch auditMessages[key].action {
		case action:
			return key, true
		case "":
			general = key
		}
	}
	return general, general != ""
}

func argAt(args []any, pos int) (string, bool) {
	if pos >= len(args) {
		return "", false
	}
	s, ok := args[pos].(string)
	return s, ok
}

// named says a word by the message prefix+name(word).
func named(prefix string, name func(string) string) func(lang, s string) (string, bool) {
	return func(lang, s string) (string, bool) { return i18n.Lookup(lang, prefix+name(s)) }
}

// listOf says each word of a list ("title, countries") by say.
func listOf(say func(lang, s string) (string, bool)) func(lang, s string) (string, bool) {
	return func(lang, s string) (string, bool) {
		parts := strings.Split(s, ", ")
		for i, p := range parts {
			w, ok := say(lang, p)
			if !ok {
				return "", false
			}
			parts[i] = w
		}
		return strings.Join(parts, ", "), true
	}
}

// fieldWord names a field of a story as its page does ("titre"); an
// update names a link to another language's version by the API's field,
// translation_of.
func fieldWord(lang, field string) (string, bool) {
	if field == "translation_of" {
		field = domain.FieldTranslations
	}
	return i18n.Lookup(lang, "console.item_edited_"+field)
}

// tagChanges says a suggestion's changes ("+topics:protection
// -countries:HN"), naming each list as a story's page does.
func tagChanges(lang, s string) (string, bool) {
	parts := strings.Fields(s)
	for i, p := range parts {
		if len(p) < 2 || (p[0] != '+' && p[0] != '-') {
			return "", false
		}
		list, code, ok := strings.Cut(p[1:], ":")
		if !ok {
			return "", false
		}
		word, ok := i18n.Lookup(lang, "console.item_edited_"+list)
		if !ok {
			return "", false
		}
		parts[i] = p[:1] + word + ":" + code
	}
	return strings.Join(parts, " "), true
}

// roleWord names a role as the editors' page does: the staff service
// writes the English of console.role_*.
func roleWord(lang, role string) (string, bool) {
	for _, key := range []string{"role_edit", "role_subscribers"} {
		if msg(i18n.Source, key) == role {
			return msg(lang, key), true
		}
	}
	return "", false
}
