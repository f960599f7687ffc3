package app_test

import (
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

// mailsWithSubject are the mails to addr whose subject starts with prefix.
func (s *stack) mailsWithSubject(addr, prefix string) []testenv.Received {
	var out []testenv.Received
	dec := new(mime.WordDecoder)
	for _, m := range s.smtp.To(addr) {
		if subj, err := dec.DecodeHeader(m.Header("Subject")); err == nil && strings.HasPrefix(subj, prefix) {
			out = append(out, m)
		}
	}
	return out
}

// waitMail waits for a mail to addr whose subject starts with prefix and
// returns its text part.
func (s *stack) waitMail(addr, prefix string) string {
	s.t.Helper()
	s.smtp.WaitFor(s.t, 30*time.Second, "mail "+prefix+" to "+addr, func([]testenv.Received) bool {
		return len(s.mailsWithSubject(addr, prefix)) > 0
	})
	text, _ := bodies(s.t, s.mailsWithSubject(addr, prefix)[0].Raw)
	return text
}

// signUp posts the front page's form for addr with Costa Rica and labour
// migration, in lang.
func (s *stack) signUp(client *http.Client, addr, lang string) (int, string) {
	s.t.Helper()
	form := url.Values{"email": {addr}, "countries": {"CR"}, "topics": {"labour-migration"}, "language": {lang}, "mode": {"any"}}
	return s.page(client, "POST", "/subscribe?lang="+lang, form)
}

// The welcome after confirming, in English and Spanish: the page says
// what the person chose by name, when digests go out (DIGEST_CRON in
// DIGEST_TZ, in words) and how to change it; the same comes by mail,
// once, however often the confirm link is used again.
func TestWelcomeAfterConfirming(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_CRON": "0 7 * * 1", "DIGEST_TZ": "America/Costa_Rica"})
	b := newBrowser(t, 3*time.Minute)
	client := s.browser()
	for _, tc := range []struct {
		lang, heading, topic, when, mailSubject string
	}{
		{"en", "You are subscribed", "Labour migration",
			"Every Monday at 07:00 (Costa Rica time); the next one on Monday ", "Welcome to News Digest"},
		{"es", "Tu suscripción está confirmada", "Migración laboral",
			"Cada lunes a las 07:00 (hora de Costa Rica); el próximo, el lunes ", "Te damos la bienvenida a News Digest"},
	} {
		addr := "welcome-" + tc.lang + "@example.org"
		if st, body := s.signUp(client, addr, tc.lang); st != http.StatusOK {
			t.Fatalf("sign up %s: %d %s", addr, st, body)
		}
		confirm := s.base + s.confirmPath(addr, 1)
		b.open(confirm, confirmSend)
		b.checkAccessible("confirm page " + tc.lang)
		if st := b.submit("confirm "+addr, confirmSend); st != http.StatusOK {
			t.Fatalf("confirm %s: %d, page says %q", addr, st, b.pageText())
		}
		if h := b.text("welcome heading", pageHeading); h != tc.heading {
			t.Errorf("%s: welcome heading %q, want %q", tc.lang, h, tc.heading)
		}
		if when := b.text("schedule", chromedp.CSS(`#schedule`)); !strings.HasPrefix(when, tc.when) {
			t.Errorf("%s: the welcome page says when: %q, want it to start %q", tc.lang, when, tc.when)
		}
		choices := b.text("choices", chromedp.CSS(`dl#welcome`))
		for _, want := range []string{"Costa Rica", tc.topic} {
			if !strings.Contains(choices, want) {
				t.Errorf("%s: the welcome page's choices %q lack %q", tc.lang, choices, want)
			}
		}
		b.checkAccessible("welcome page " + tc.lang)
		b.shots(t, "welcome-"+tc.lang)

		// The page's links lead to the preferences and to the
		// unsubscribe page, in the reader's language.
		b.do("follow the preferences link",
			chromedp.Click(chromedp.CSS(`#welcome-preferences`), chromedp.NodeVisible),
			chromedp.WaitVisible(prefsForm))
		prefsPage := b.currentURL()

		mail := s.waitMail(addr, tc.mailSubject)
		for _, want := range []string{tc.when, "Costa Rica", tc.topic, "/unsubscribe/"} {
			if !strings.Contains(strings.Join(strings.Fields(mail), " "), want) {
				t.Errorf("%s: the welcome mail lacks %q:\n%s", tc.lang, want, mail)
			}
		}
		if link := prefsLink.FindString(mail); link == "" || !strings.HasPrefix(prefsPage, link) {
			t.Errorf("%s: the welcome mail's preferences link %q is not the page's %q", tc.lang, link, prefsPage)
		}

		// The used link again: no second welcome.
		if st, body := s.page(client, "POST", strings.TrimPrefix(confirm, s.base), nil); st != http.StatusOK {
			t.Fatalf("confirm %s again: %d %s", addr, st, body)
		}
		s.waitQueuesIdle()
		if n := len(s.mailsWithSubject(addr, tc.mailSubject)); n != 1 {
			t.Errorf("%s: %d welcome mails, want 1", tc.lang, n)
		}
	}
}

var csrfValue = regexp.MustCompile(`name="csrf_token" value="[^"]*"`)

// Signing up again with an active address answers exactly as for an
// unknown one, and mails the address (in its language) a link to its
// preferences: once, however often it is signed up. Addresses that are
// stopped (suppressed, bounced) get nothing. (An erased one is
// TestPrivacyExportAndDeleteMe's.)
func TestSignupAgainWhileSubscribed(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	client := s.browser()
	const (
		active     = "ya.suscrita@example.org"
		suppressed = "suppressed@example.org"
		bounced    = "bounced@example.org"
	)
	for _, addr := range []string{active, suppressed, bounced} {
		if st, body := s.signUp(client, addr, "es"); st != http.StatusOK {
			t.Fatalf("sign up %s: %d %s", addr, st, body)
		}
		if st, body := s.page(client, "POST", s.confirmPath(addr, 1), nil); st != http.StatusOK {
			t.Fatalf("confirm %s: %d %s", addr, st, body)
		}
	}
	welcome := s.waitMail(active, "Te damos la bienvenida")
	var list struct {
		Subscribers []struct {
			ID    int64
			Email string
		}
	}
	s.jsonCall("GET", "/api/v1/subscribers?status=active", nil, &list, http.StatusOK)
	for _, p := range list.Subscribers {
		if p.Email == suppressed {
			s.jsonCall("POST", "/api/v1/subscribers/"+itoa(p.ID)+"/suppress", nil, nil, http.StatusOK)
		}
	}
	s.sqlExec(`UPDATE subscribers SET status = 'bounced' WHERE email = $1`, bounced)
	s.waitQueuesIdle()
	before := map[string]int{}
	for _, addr := range []string{active, suppressed, bounced} {
		before[addr] = len(s.smtp.To(addr))
	}

	st, known := s.signUp(client, active, "es")
	stNew, unknown := s.signUp(client, "nadie.aun@example.org", "es")
	if st != http.StatusOK || st != stNew {
		t.Fatalf("sign-up of an active address: %d, of a new one: %d", st, stNew)
	}
	if a, b := csrfValue.ReplaceAllString(known, ""), csrfValue.ReplaceAllString(unknown, ""); a != b {
		t.Errorf("the answer to an active address differs from the answer to a new one:\n%s\n---\n%s", a, b)
	}
	mail := s.waitMail(active, "Ya tienes una suscripción")
	if got, want := prefsLink.FindString(mail), prefsLink.FindString(welcome); got == "" || got != want {
		t.Errorf("the mail's preferences link %q is not the subscriber's %q:\n%s", got, want, mail)
	}
	if !unsubPageLink.MatchString(mail) {
		t.Errorf("the mail has no unsubscribe link:\n%s", mail)
	}

	// Another sign-up within the hour (the most the address limit lets
	// through in a day), and one of each stopped address: nothing more is
	// sent.
	for _, addr := range []string{active, suppressed, bounced} {
		if st, body := s.signUp(client, addr, "es"); st != http.StatusOK {
			t.Fatalf("sign up %s again: %d %s", addr, st, body)
		}
	}
	s.waitQueuesIdle()
	if n := len(s.mailsWithSubject(active, "Ya tienes una suscripción")); n != 1 {
		t.Errorf("%d already-subscribed mails after three sign-ups, want 1", n)
	}
	for _, addr := range []string{suppressed, bounced} {
		if n := len(s.smtp.To(addr)) - before[addr]; n != 0 {
			t.Errorf("%s got %d mails after signing up again, want none", addr, n)
		}
	}
}

// Notices whose task was lost (Redis wiped, or a worker died holding the
// claim) are queued again by the reconciler and sent, once; a notice due
// to someone who has left since is not.
func TestReconcilerSendsLostNotices(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, tc := range []struct{ addr, status, kind, claimed string }{
		{"lost-welcome@example.org", "active", "welcome", "NULL"},
		{"crashed-known@example.org", "active", "known", "now() - interval '11 minutes'"},
		{"left@example.org", "unsubscribed", "welcome", "NULL"},
	} {
		s.sqlExec(`
			WITH s AS (INSERT INTO subscribers (email, status, countries, language, token)
			           VALUES ($1, $2, '{CR}', 'es', $3) RETURNING id)
			INSERT INTO notices (subscriber_id, kind, due_at, claimed_at)
			SELECT id, $4, now() - interval '5 minutes', `+tc.claimed+` FROM s`, tc.addr, tc.status, token.New(), tc.kind)
	}
	s.waitMail("lost-welcome@example.org", "Te damos la bienvenida")
	s.waitMail("crashed-known@example.org", "Ya tienes una suscripción")
	s.waitQueuesIdle()
	for addr, want := range map[string]int{"lost-welcome@example.org": 1, "crashed-known@example.org": 1, "left@example.org": 0} {
		if n := len(s.smtp.To(addr)); n != want {
			t.Errorf("%s got %d mails, want %d", addr, n, want)
		}
	}
}
