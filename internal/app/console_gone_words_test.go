package app_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestConsoleSaysWhatIsGoneInSentences: an import preview that is no
// longer kept, and a preview asked for an address no subscriber has, are
// said in sentences in each language, not in storage's words ("this
// import was …", "subscriber … not found"); the import's comes on the
// import page, where the listing or list can be given again.
func TestConsoleSaysWhatIsGoneInSentences(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	c := s.consoleLogin()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := c.Get(s.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, html.UnescapeString(string(b))
	}
	csrf := s.csrfToken(c, "/admin/subscribers/import")
	for _, tc := range []struct {
		lang, listing, list, nobody string
	}{
		{"en", "This import is no longer waiting: it was confirmed already, or its preview expired. Paste the listing or upload the file again.",
			"This import is no longer waiting: it was confirmed already, or its preview expired. Paste the list or upload the file again.",
			"No subscriber has the address nobody@example.org."},
		{"es", "Esta importación ya no está pendiente: ya se confirmó o su vista previa caducó. Pega el listado o sube el archivo de nuevo.",
			"Esta importación ya no está pendiente: ya se confirmó o su vista previa caducó. Pega la lista o sube el archivo de nuevo.",
			"Ningún suscriptor tiene la dirección nobody@example.org."},
		{"fr", "Cette importation n’est plus en attente\u00a0: elle a déjà été confirmée, ou son aperçu a expiré. Collez la liste ou téléversez le fichier de nouveau.",
			"Cette importation n’est plus en attente\u00a0: elle a déjà été confirmée, ou son aperçu a expiré. Collez la liste ou téléversez le fichier de nouveau.",
			"Aucun abonnement ne correspond à l’adresse nobody@example.org."},
	} {
		st, page := get("/admin/items/import/987654?lang=" + tc.lang)
		if st != http.StatusNotFound || !strings.Contains(page, tc.listing) || !strings.Contains(page, `action="/admin/items/import"`) {
			t.Errorf("%s: a gone listing preview: %d, want 404 on the import form saying %q: %.1500s", tc.lang, st, tc.listing, fromMain(page))
		}
		st, page = s.postForm(c, "/admin/subscribers/import/confirm?lang="+tc.lang, url.Values{"csrf_token": {csrf}, "draft": {"987654"}})
		page = html.UnescapeString(page)
		if st != http.StatusNotFound || !strings.Contains(page, tc.list) || !strings.Contains(page, `action="/admin/subscribers/import"`) {
			t.Errorf("%s: a gone list preview confirmed: %d, want 404 on the import form saying %q: %.1500s", tc.lang, st, tc.list, fromMain(page))
		}
		st, page = get("/admin/editions/preview?email=nobody%40example.org&lang=" + tc.lang)
		if st != http.StatusNotFound || !strings.Contains(page, tc.nobody) {
			t.Errorf("%s: preview for nobody: %d, want 404 saying %q: %.1500s", tc.lang, st, tc.nobody, fromMain(page))
		}
		for _, internal := range []string{"upload it again", "not found", "no se encuentra", "introuvable"} {
			if strings.Contains(page, internal) {
				t.Errorf("%s: the preview for nobody says %q", tc.lang, internal)
			}
		}
	}
}

// fromMain is a console page from its main element on.
func fromMain(page string) string { return page[max(0, strings.Index(page, "<main")):] }
