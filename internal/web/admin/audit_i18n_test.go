package admin

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// auditCall is an Audit(ctx, actor, action, objectType, objectID,
// detail, args...) call of the code base, as written.
type auditCall struct {
	where      string
	action     string // "" when it is not a literal
	objectType string // "" when it is not a literal
	format     string
	literal    bool // the format is a string literal
}

// auditCalls finds every Audit call outside the tests.
func auditCalls(t *testing.T) []auditCall {
	t.Helper()
	fset := token.NewFileSet()
	var calls []auditCall
	eachCodeFile(t, func(path string) error {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 6 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Audit" {
				return true
			}
			c := auditCall{where: fset.Position(call.Pos()).String()}
			c.action, _ = stringLit(call.Args[2])
			c.objectType, _ = stringLit(call.Args[3])
			c.format, c.literal = stringLit(call.Args[5])
			calls = append(calls, c)
			return true
		})
		return nil
	})
	return calls
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// TestEveryAuditDetailHasWords fails for an Audit call whose detail
// format the catalogue's [audit] section lacks in some language (the
// console would show it in English), for an object it does not name, and
// for a message of the section no call writes any more.
func TestEveryAuditDetailHasWords(t *testing.T) {
	calls := auditCalls(t)
	if len(calls) < 30 {
		t.Fatalf("only %d Audit calls found", len(calls))
	}
	c := i18n.Default()
	used := map[string]bool{}
	for _, call := range calls {
		if !call.literal {
			t.Errorf("%s: the detail is not a string literal, so nothing can check it has words", call.where)
			continue
		}
		if call.objectType != "" && !hasMsg("audit_obj_"+call.objectType) {
			t.Errorf("%s: the object %q has no name (console.audit_obj_%s)", call.where, call.objectType, call.objectType)
		}
		if call.action != "" && !hasMsg("audit_do_"+strings.ReplaceAll(call.action, ".", "_")) {
			t.Errorf("%s: the action %q has no words", call.where, call.action)
		}
		if call.format == "" {
			continue
		}
		key, ok := auditKey(call.action, call.format)
		if !ok {
			t.Errorf("%s: the detail %q is not in the catalogue's [audit] section", call.where, call.format)
			continue
		}
		used[key] = true
		for _, lang := range c.Languages() {
			if c.Forms(lang, key) == nil {
				t.Errorf("%s: %s (%q) has no words in %s", call.where, key, call.format, lang)
			}
		}
	}
	for _, keys := range auditKeys() {
		for _, key := range keys {
			if !used[key] {
				t.Errorf("%s: no Audit call writes %q any more", key, c.Text(i18n.Source, key))
			}
		}
	}
	for key := range auditMessages {
		if !i18n.Exists(key) {
			t.Errorf("auditMessages: %s is not in the catalogue", key)
		}
	}
}

// TestAuditLogInThePagesLanguage: the audit page gives each entry's
// detail and object in the page's language, the words the service
// recorded kept as they are (addresses, titles, dates); an entry with no
// words, or words the catalogue lacks, shows as recorded.
func TestAuditLogInThePagesLanguage(t *testing.T) {
	pages, err := parsePages(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	entry := func(action, objectType, objectID, format string, args ...any) domain.AuditEntry {
		w := domain.NewWords(format, args...)
		return domain.AuditEntry{ID: 1, At: time.Date(2026, 12, 6, 18, 56, 0, 0, time.UTC), Actor: "admin", Action: action,
			ObjectType: objectType, ObjectID: objectID, Detail: w.Text(), Words: w}
	}
	old := domain.AuditEntry{ID: 1, Actor: "admin", Action: "edition.create", ObjectType: "edition", ObjectID: "3",
		Detail: "window new since the last edition"}
	unknown := entry("item.update", "item", "4", "%s; %s", "a", "b")
	for _, tc := range []struct {
		name           string
		e              domain.AuditEntry
		object, detail map[string]string
	}{
		{"an edition", entry("edition.create", "edition", "7", "window new since the last edition"),
			map[string]string{"en": "Edition 7", "es": "Edición 7", "fr": "Édition 7"},
			map[string]string{"en": "window new since the last edition", "es": "ventana: lo nuevo desde la última edición",
				"fr": "fenêtre\u00a0: les nouveautés depuis la dernière édition"}},
		{"a story's fields", entry("item.update", "item", "12", "%s", "countries, topics"),
			map[string]string{"en": "Story 12", "es": "Noticia 12", "fr": "Article 12"},
			map[string]string{"en": "countries, topics", "es": msg("es", "item_edited_countries") + ", " + msg("es", "item_edited_topics"),
				"fr": "pays, thèmes"}},
		{"an import", entry("items.import", "items", "", "%s (new: %d; duplicates: %d; updated: %d)", "listing", 3, 1, 0),
			map[string]string{"en": "Stories", "es": "Noticias", "fr": "Articles"},
			map[string]string{"en": "listing (new: 3; duplicates: 1; updated: 0)", "es": "listado (nuevas: 3; duplicadas: 1; actualizadas: 0)",
				"fr": "liste (nouveaux\u00a0: 3\u00a0; doublons\u00a0: 1\u00a0; mis à jour\u00a0: 0)"}},
		// Recorded in the words the import once wrote ("1 duplicates"):
		// said as a new one is, English too.
		{"an import recorded before", entry("items.import", "items", "", "%s: %d new, %d duplicates, %d updated", "listing", 3, 1, 0),
			nil, map[string]string{"en": "listing (new: 3; duplicates: 1; updated: 0)", "es": "listado (nuevas: 3; duplicadas: 1; actualizadas: 0)",
				"fr": "liste (nouveaux\u00a0: 3\u00a0; doublons\u00a0: 1\u00a0; mis à jour\u00a0: 0)"}},
		// About no one subscriber: the subscribers.
		{"a subscribers' import", entry("subscriber.import", "subscriber", "", "imported %d, skipped %d", 4, 1),
			map[string]string{"en": "Subscribers", "es": "Suscriptores", "fr": "Abonnements"}, nil},
		{"a subscriber", entry("subscriber.delete", "subscriber", "9", "%s", "x"),
			map[string]string{"en": "Subscriber 9", "es": "Suscriptor 9", "fr": "Abonnement 9"}, nil},
		{"a cancelled edition", entry("edition.cancel", "edition", "5", "cancelled while %s: %d sent, %d skipped of %d", "sending", 2, 1, 9),
			map[string]string{"en": "Edition 5", "es": "Edición 5", "fr": "Édition 5"},
			map[string]string{"en": "cancelled while sending: 2 sent, 1 skipped of 9",
				"es": "cancelada mientras estaba «enviando» (enviados: 2; omitidos: 1; total: 9)",
				"fr": "annulée à l’état «\u00a0en cours d’envoi\u00a0» (envoyés\u00a0: 2\u00a0; ignorés\u00a0: 1\u00a0; total\u00a0: 9)"}},
		{"an editor's roles", entry("editor.roles", "editor", "2", "roles: %s", "edit and send, manage subscribers"),
			nil, map[string]string{"en": "roles: edit and send, manage subscribers",
				"fr": "rôles\u00a0: " + msg("fr", "role_edit") + ", " + msg("fr", "role_subscribers")}},
		{"a removed editor", entry("editor.delete", "editor", "2", "%s", "ana@example.org"),
			nil, map[string]string{"en": "ana@example.org", "es": "ana@example.org", "fr": "ana@example.org"}},
		{"recorded before words were kept", old, nil,
			map[string]string{"en": old.Detail, "es": old.Detail, "fr": old.Detail}},
		{"words the catalogue lacks", unknown, nil,
			map[string]string{"en": "a; b", "es": "a; b", "fr": "a; b"}},
	} {
		for _, lang := range i18n.Languages() {
			var out bytes.Buffer
			data := auditData{Rows: auditRows(lang, domain.Roles{Edit: true, Subscribers: true}, []domain.AuditEntry{tc.e}), ObjectTypes: auditObjectTypes}
			if err := pages.ExecuteTemplate(&out, "audit.html", page{Lang: lang, User: &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}, Data: data}); err != nil {
				t.Fatalf("audit.html (%s): %v", lang, err)
			}
			cells := regexp.MustCompile(`(?s)<tbody>\s*<tr>.*?</td>.*?</td>.*?</td>\s*<td>(?:<a [^>]*>)?([^<]*)(?:</a>)?</td>\s*<td>([^<]*)</td>`).
				FindStringSubmatch(out.String())
			if cells == nil {
				t.Fatalf("%s (%s): no row in the page", tc.name, lang)
			}
			if want, ok := tc.object[lang]; ok && html.UnescapeString(cells[1]) != want {
				t.Errorf("%s (%s): the object is %q, want %q", tc.name, lang, html.UnescapeString(cells[1]), want)
			}
			if want, ok := tc.detail[lang]; ok && html.UnescapeString(cells[2]) != want {
				t.Errorf("%s (%s): the detail is %q, want %q", tc.name, lang, html.UnescapeString(cells[2]), want)
			}
		}
	}
}
