package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

// TestBrowserFrenchReader walks a reader in Haiti through the French
// pages in a browser, as the Spanish walk does: the form (Haiti ticked
// inside the folded Caribbean), the inbox page, the confirm and welcome
// pages, the preferences and the archive, then an editor's console in
// French. Every page passes axe-core and fits a phone (screenshots at 375
// and 1280 px in the test's artifact directory).
func TestBrowserFrenchReader(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 4*time.Minute)
	const addr = "marie-claire@example.org"

	b.open(s.base+"/?lang=fr", subscribeForm)
	if h := b.text("form heading", pageHeading); h != "Abonnez-vous au bulletin" {
		t.Fatalf("form heading = %q, want the French one", h)
	}
	b.checkAccessible("form (fr)")
	b.shots(t, "fr-form")
	b.do("open the Caribbean, tick Haiti, type the address",
		chromedp.Click(regionSummary("caribbean"), chromedp.NodeVisible),
		chromedp.Click(countryBox("HT"), chromedp.NodeVisible),
		chromedp.SendKeys(emailField, addr, chromedp.NodeVisible),
	)
	if !b.checked(`input[name=language][value=fr]`) {
		t.Error("the French form does not propose French as the digest's language")
	}
	if st := b.submit("subscribe", subscribeSend); st != http.StatusOK {
		t.Fatalf("subscribe: status %d, page says %q", st, b.pageText())
	}
	if h := b.text("inbox heading", pageHeading); h != "Consultez votre boîte de réception" {
		t.Fatalf("after subscribing the page says %q", h)
	}
	b.checkAccessible("check your inbox (fr)")

	s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool {
		return len(s.smtp.To(addr)) >= 1
	})
	text, _ := bodies(t, s.smtp.To(addr)[0].Raw)
	confirmURL := confirmLink.FindString(text)
	if confirmURL == "" {
		t.Fatalf("confirmation mail has no /confirm/ link:\n%s", text)
	}
	b.open(confirmURL, chromedp.CSS(`form#confirm`))
	if page := b.pageText(); !strings.Contains(page, "Haïti") || !strings.Contains(page, "Vous confirmez") {
		t.Errorf("the confirm page does not list the French choices: %q", page)
	}
	b.checkAccessible("confirm page (fr)")
	b.shots(t, "fr-confirm")
	if st := b.submit("confirm", confirmSend); st != http.StatusOK {
		t.Fatalf("confirm: status %d, page says %q", st, b.pageText())
	}
	if h := b.text("welcome heading", pageHeading); h != "Votre abonnement est confirmé" {
		t.Fatalf("after confirming the page says %q", h)
	}
	b.checkAccessible("welcome page (fr)")
	b.shots(t, "fr-welcome")

	// A digest brings the preferences link; the archive now holds it.
	listing := "20 December, 2020\n\n" +
		"Haïti : l’OIM distribue des kits d’abris aux familles déplacées à Port-au-Prince\n\n" +
		"Plus de 2 000 familles déplacées par les violences ont reçu des bâches et des kits d’hygiène.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition = %+v, want done with 1 sent", e)
	}
	text, _ = bodies(t, onlyDigest(t, s, addr, 1).Raw)
	prefsURL := prefsLink.FindString(text)
	if prefsURL == "" {
		t.Fatalf("the digest has no preferences link:\n%s", text)
	}
	b.open(prefsURL, prefsForm)
	if h := b.text("preferences heading", pageHeading); h != "Vos préférences" {
		t.Errorf("preferences heading = %q", h)
	}
	if !b.checked(countryBox("HT")) {
		t.Error("the preferences page does not show Haiti chosen")
	}
	b.checkAccessible("preferences (fr)")
	b.shots(t, "fr-preferences")

	b.open(s.base+"/archive?lang=fr", pageHeading)
	if page := b.pageText(); !strings.Contains(page, "Archives des éditions précédentes") || !strings.Contains(page, "20 décembre 2020") {
		t.Errorf("the French archive does not show the story with a French date: %q", page)
	}
	b.checkAccessible("archive (fr)")
	b.shots(t, "fr-archive")

	// The console, in French.
	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusOK {
		t.Fatalf("console login: %d", st)
	}
	for _, p := range []struct{ path, name string }{
		{"/admin?lang=fr", "fr-dashboard"},
		{"/admin/editions/" + itoa(created.ID) + "?lang=fr", "fr-edition"},
		{"/admin/items?lang=fr", "fr-items"},
	} {
		b.open(s.base+p.path, pageHeading)
		if b.attr("html", "lang") != "fr" {
			t.Errorf("%s is not marked lang=fr", p.path)
		}
		b.checkAccessible(p.path)
		b.shots(t, p.name)
	}
}
