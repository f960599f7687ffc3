package admin

import "strings"

// consentVia says in lang what a consent was recorded through, from its
// stored form_version: "sign-up form, version 1" (subscribers.FormVersion
// is "subscribe-v" and its number), "preferences page", "list import"
// (csv-import), "console or API" (operator). A value it has no words for
// is shown as stored, and none as nothing.
func consentVia(lang, stored string) string {
	if n, ok := strings.CutPrefix(stored, "subscribe-v"); ok && n != "" {
		return tf(lang, "sub_via_subscribe", n)
	}
	key := "sub_via_" + strings.ReplaceAll(stored, "-", "_")
	if stored == "" || !hasMsg(key) {
		return stored
	}
	return msg(lang, key)
}
