package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestItemLinkRefusedOnTheItemsPage: a number the item page's "Link to
// story number" cannot take (not a number, no item's, the item's own, a
// story that already has a version in the item's language) shows the
// item's page again with the right 4xx, the number kept in its field and
// what is wrong said next to it in the console's language: no field name
// or language code of the API's, no dead-end error page.
func TestItemLinkRefusedOnTheItemsPage(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	create := func(lang, day, title string) string {
		t.Helper()
		var made struct {
			ID int64 `json:"id"`
		}
		s.jsonCall("POST", "/api/v1/items", map[string]any{"published_on": day, "title": title,
			"summary": "A summary of the story.", "url": "https://news.example/" + lang + "/" + day, "language": lang}, &made, http.StatusCreated)
		return itoa(made.ID)
	}
	en := create("en", "2020-12-16", "Costa Rica: a labour survey in Upala")
	es := create("es", "2020-12-16", "Costa Rica: una encuesta laboral en Upala")
	other := create("en", "2020-11-02", "Panama: a shelter opens in Darién")
	if status, body := s.do("PATCH", "/api/v1/items/"+es, "application/json", []byte(`{"translation_of": `+en+`}`), true); status != http.StatusOK {
		t.Fatalf("link the Spanish version: %d %s", status, body)
	}

	owner := newLoginClient(s, "")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	item := "/admin/items/" + other
	for _, tc := range []struct {
		lang, typed string
		status      int
		says        string
	}{
		{"en", "abc", http.StatusUnprocessableEntity, "Link to story number: “abc” is not a story number."},
		{"en", "999999", http.StatusUnprocessableEntity, "Link to story number: there is no story 999999."},
		{"en", other, http.StatusUnprocessableEntity, "that is this story’s own number"},
		{"en", es, http.StatusConflict, "would then have two versions in English"},
		{"es", es, http.StatusConflict, "tendrían entonces dos versiones en inglés"},
		{"fr", "999999", http.StatusUnprocessableEntity, "il n’y a pas d’article 999999"},
	} {
		owner.request("GET", item+"?lang="+tc.lang, nil) // the console's language, kept in its cookie
		resp, page := owner.post(item, item+"/link", url.Values{"other": {tc.typed}})
		what := tc.lang + ": link to " + tc.typed
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d: %.300s", what, resp.StatusCode, tc.status, page)
		}
		for _, want := range []string{
			`id="item-form"`, // the item's page, its forms there to go on with
			`<p class="error" role="alert" id="link-other-error">`,
			tc.says,
			`name="other" value="` + tc.typed + `"`,
			`aria-describedby="link-other-error link-other-hint" aria-invalid="true"`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %q:\n%s", what, want, page)
			}
		}
		for _, internal := range []string{"translation_of", "&#34;en&#34;", "traducción de", "traduction de"} {
			if strings.Contains(page, internal) {
				t.Errorf("%s: the page shows the API's %q", what, internal)
			}
		}
	}
	for _, it := range s.fullItems() {
		if itoa(it.ID) == other && len(it.Translations) != 0 {
			t.Errorf("a refused link linked the item: %v", it.Translations)
		}
	}
}
