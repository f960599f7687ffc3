package app_test

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// page fetches path with client b and returns the page, failing on any
// status but want.
func page(t *testing.T, b *http.Client, base, path string, want int) string {
	t.Helper()
	resp, err := b.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d: %s", path, resp.StatusCode, want, page)
	}
	return string(page)
}

// wordsRight fails for a page or mail with a fmt error in it (the pause
// options once read "1 week%!(EXTRA int=1)") or not marked as lang.
func wordsRight(t *testing.T, what, lang, page string) {
	t.Helper()
	if i := strings.Index(page, "%!"); i >= 0 {
		t.Errorf("%s (%s) has a fmt error: …%s…", what, lang, page[max(0, i-60):min(len(page), i+60)])
	}
	if !strings.Contains(page, `lang="`+lang+`"`) {
		t.Errorf("%s (%s) is not marked lang=%q", what, lang, lang)
	}
}

func subject(m testenv.Received) string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header("Subject"))
	if err != nil {
		return m.Header("Subject")
	}
	return s
}

var prefsPath = regexp.MustCompile(`https?://[^\s"<>]+(/preferences/[A-Za-z0-9_-]{22})`)

// TestFrenchReaderGetsAFrenchDigest: a reader in Haiti signs up in French
// through the form, confirms, and gets the welcome and then a digest in
// French, with the date written the French way and the country named in
// French; the French story was tagged by the tagger's French names.
// Then every public page and the console, in every language, shows no
// fmt error.
func TestFrenchReaderGetsAFrenchDigest(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	listing := "20 December, 2020\n\n" +
		"Haïti : l’OIM distribue des kits d’abris aux familles déplacées à Port-au-Prince\n\n" +
		"Plus de 2 000 familles déplacées par les violences ont reçu des bâches et des kits d’hygiène dans les sites de déplacement.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	var items struct {
		Items []struct {
			Language  string   `json:"language"`
			Countries []string `json:"countries"`
		}
	}
	s.jsonCall("GET", "/api/v1/items", nil, &items, http.StatusOK)
	if len(items.Items) != 1 || items.Items[0].Language != "fr" || len(items.Items[0].Countries) != 1 || items.Items[0].Countries[0] != "HT" {
		t.Fatalf("the French story is %+v, want language fr and country HT", items.Items)
	}

	// The form, in French.
	b := s.browser()
	form := page(t, b, s.base, "/?lang=fr", http.StatusOK)
	wordsRight(t, "form", "fr", form)
	for _, want := range []string{"Abonnez-vous au bulletin", "Haïti", "Français", "République dominicaine"} {
		if !strings.Contains(form, want) {
			t.Errorf("the French form lacks %q", want)
		}
	}
	token := s.csrfToken(b, "/?lang=fr")
	addr := "jacqueline@example.org"
	resp, err := b.PostForm(s.base+"/subscribe?lang=fr", url.Values{"csrf_token": {token}, "email": {addr},
		"countries": {"HT"}, "language": {"fr"}, "mode": {"any"}})
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(answer), "Consultez votre boîte de réception") {
		t.Fatalf("sign-up in French: %d %s", resp.StatusCode, answer)
	}

	// The confirmation mail and pages, in French.
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool { return len(s.smtp.To(addr)) == 1 })
	confirmation := s.smtp.To(addr)[0]
	text, htmlPart := bodies(t, confirmation.Raw)
	if got := subject(confirmation); got != "Confirmez votre abonnement à News Digest" {
		t.Errorf("confirmation subject %q", got)
	}
	wordsRight(t, "confirmation mail", "fr", htmlPart)
	m := confirmLink.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no confirm link:\n%s", text)
	}
	confirmPage := page(t, b, s.base, "/confirm/"+m[1], http.StatusOK)
	wordsRight(t, "confirm page", "fr", confirmPage)
	if !strings.Contains(confirmPage, "Confirmer l’abonnement") || !strings.Contains(confirmPage, "Haïti") {
		t.Errorf("the confirm page is not in French:\n%s", confirmPage)
	}
	resp, err = b.PostForm(s.base+"/confirm/"+m[1], url.Values{"csrf_token": {s.csrfToken(b, "/confirm/"+m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	confirmed, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(confirmed), "Votre abonnement est confirmé") {
		t.Fatalf("confirm: %d %s", resp.StatusCode, confirmed)
	}
	s.smtp.WaitFor(t, 30*time.Second, "welcome to "+addr, func([]testenv.Received) bool { return len(s.smtp.To(addr)) == 2 })
	welcome := s.smtp.To(addr)[1]
	if got := subject(welcome); got != "Bienvenue dans News Digest" {
		t.Errorf("welcome subject %q", got)
	}
	welcomeText, welcomeHTML := bodies(t, welcome.Raw)
	wordsRight(t, "welcome mail", "fr", welcomeHTML)
	for _, want := range []string{"Haïti", "français", "page de préférences"} {
		if !strings.Contains(welcomeText, want) {
			t.Errorf("the welcome mail lacks %q:\n%s", want, welcomeText)
		}
	}
	// The HTML has the button; the text part leads from the sentence to
	// the address, without the button's words.
	if !strings.Contains(welcomeHTML, "Ouvrir vos préférences") || strings.Contains(welcomeText, "Ouvrir vos préférences") {
		t.Errorf("the welcome mail's button: in the HTML, not the text part")
	}

	// The edition: a French digest.
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition %+v, want done, 1 sent", e)
	}
	digest := onlyDigest(t, s, addr, 1)
	// A story of 2020 is not this week's news.
	if got, want := subject(digest), "1 article antérieur\u00a0: Haïti"; got != want {
		t.Errorf("digest subject %q, want %q", got, want)
	}
	digestText, digestHTML := bodies(t, digest.Raw)
	wordsRight(t, "digest", "fr", digestHTML)
	for _, want := range []string{"1 article publié avant cette semaine.", "20 décembre 2020", "Haïti", "Se désabonner", "Préférences"} {
		if !strings.Contains(digestText, want) {
			t.Errorf("the French digest lacks %q:\n%s", want, digestText)
		}
	}
	for _, english := range []string{"Unsubscribe", "new story", "December"} {
		if strings.Contains(digestText, english) {
			t.Errorf("the French digest has the English %q", english)
		}
	}

	// Every public page and the console, in every language.
	prefs := prefsPath.FindStringSubmatch(digestText)
	if prefs == nil {
		t.Fatalf("no preferences link in the digest:\n%s", digestText)
	}
	token = strings.TrimPrefix(prefs[1], "/preferences/")
	admin := s.browser()
	resp, err = admin.PostForm(s.base+"/admin/login", url.Values{"csrf_token": {s.csrfToken(admin, "/admin/login")},
		"user": {"admin"}, "password": {adminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, lang := range domain.Languages {
		for _, p := range []struct {
			path   string
			status int
		}{
			{"/", http.StatusOK},
			{"/archive", http.StatusOK},
			{"/archive?country=HT", http.StatusOK},
			{"/preferences/" + token, http.StatusOK},
			{"/unsubscribe/" + token, http.StatusOK},
			{"/preferences/" + token + "/delete", http.StatusOK},
			{"/confirm/AAAAAAAAAAAAAAAAAAAAAA", http.StatusNotFound},
			{"/no-such-page", http.StatusNotFound},
		} {
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			wordsRight(t, p.path, lang, page(t, b, s.base, p.path+sep+"lang="+lang, p.status))
		}
		for _, path := range []string{"/admin", "/admin/items", "/admin/editions", "/admin/editions/" + itoa(created.ID),
			"/admin/editions/new", "/admin/editions/preview", "/admin/subscribers", "/admin/editors", "/admin/sources",
			"/admin/tagging", "/admin/audit", "/admin/queues"} {
			wordsRight(t, path, lang, page(t, admin, s.base, path+"?lang="+lang, http.StatusOK))
		}
	}
	prefsPage := page(t, b, s.base, "/preferences/"+token+"?lang=fr", http.StatusOK)
	for _, want := range []string{"Vos préférences", "1 semaine", "8 semaines", "Suspendre le bulletin"} {
		if !strings.Contains(prefsPage, want) {
			t.Errorf("the French preference centre lacks %q", want)
		}
	}
	if console := page(t, admin, s.base, "/admin/subscribers?lang=fr", http.StatusOK); !strings.Contains(console, "1 abonnement correspond à ces filtres.") {
		t.Errorf("the French console's subscribers page does not count in French")
	}
}
