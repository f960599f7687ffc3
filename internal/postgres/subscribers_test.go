package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

var crFilter = domain.Filter{Countries: []string{"CR"}, Language: "en", Mode: domain.ModeAny}

// tokens are the new tokens a sign-up takes, as the subscriber service
// makes them.
func tokens() domain.SignupTokens {
	return domain.SignupTokens{Token: token.New(), Confirm: token.New()}
}

func consent() domain.Consent {
	return domain.Consent{At: time.Now(), IP: "192.0.2.1", UserAgent: "test", FormVersion: "test"}
}

// subscribe signs email up and reports whether a confirmation mail is due.
func subscribe(t *testing.T, db *postgres.DB, email string) (int64, bool) {
	t.Helper()
	id, mail, err := db.Subscribe(context.Background(), email, crFilter, domain.SignupSchedule{}, consent(), tokens())
	if err != nil {
		t.Fatalf("Subscribe(%s): %v", email, err)
	}
	return id, mail == domain.MailConfirmation
}

func claim(t *testing.T, db *postgres.DB, id int64) (domain.ConfirmationClaim, bool) {
	t.Helper()
	cl, err := db.ClaimConfirmation(context.Background(), id)
	if errs.Is(err, errs.NotFound) {
		return cl, false
	}
	if err != nil {
		t.Fatalf("ClaimConfirmation(%d): %v", id, err)
	}
	return cl, true
}

func unsent(t *testing.T, db *postgres.DB) []int64 {
	t.Helper()
	ids, err := db.UnsentConfirmations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func exec(t *testing.T, db *postgres.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool().Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// A confirmation mail is recorded as due when the sign-up asks for it, so
// a second sign-up while the worker has not sent it yet (however long it
// lags) asks for nothing more; and of many tasks for one address, one
// claims the mail.
func TestConfirmationDueOnceAndClaimedOnce(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()

	id, send := subscribe(t, db, "ana@example.org")
	if !send {
		t.Fatal("first sign-up: no confirmation mail asked for")
	}
	if _, again := subscribe(t, db, "ana@example.org"); again {
		t.Fatal("second sign-up before the first mail went out asked for another")
	}

	cl, ok := claim(t, db, id)
	if !ok || cl.ConfirmToken == "" || cl.Subscriber.Email != "ana@example.org" {
		t.Fatalf("claim = %+v, %v; want the pending mail", cl, ok)
	}
	if _, ok := claim(t, db, id); ok {
		t.Fatal("a second task claimed the mail the first holds")
	}

	// A temporary failure gives the claim back: the retry claims again.
	if err := db.ReleaseConfirmation(ctx, cl); err != nil {
		t.Fatal(err)
	}
	cl, ok = claim(t, db, id)
	if !ok {
		t.Fatal("the mail could not be claimed again after a release")
	}
	if err := db.FinishConfirmation(ctx, cl); err != nil {
		t.Fatal(err)
	}
	if _, ok := claim(t, db, id); ok {
		t.Fatal("a mail already sent was claimed again")
	}
	if _, again := subscribe(t, db, "ana@example.org"); again {
		t.Fatal("a sign-up within the window of the last mail asked for another")
	}

	// Past the window, a sign-up asks for one more.
	exec(t, db, `UPDATE subscribers SET confirm_sent_at = now() - interval '11 minutes' WHERE id = $1`, id)
	if _, again := subscribe(t, db, "ana@example.org"); !again {
		t.Fatal("a sign-up past the window asked for no mail")
	}
	if _, ok := claim(t, db, id); !ok {
		t.Fatal("the new mail could not be claimed")
	}
}

// The reconciler finds a due mail whose task was lost, or whose worker
// died holding the claim, and only once the window says so.
func TestUnsentConfirmations(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	lost, _ := subscribe(t, db, "lost@example.org")
	crashed, _ := subscribe(t, db, "crashed@example.org")
	sending, _ := subscribe(t, db, "sending@example.org")
	if ids := unsent(t, db); len(ids) != 0 {
		t.Fatalf("unsent right after sign-up = %v, want none (their tasks are queued)", ids)
	}
	exec(t, db, `UPDATE subscribers SET confirm_due_at = now() - interval '5 minutes'`)
	for _, id := range []int64{crashed, sending} {
		if _, ok := claim(t, db, id); !ok {
			t.Fatalf("claim %d failed", id)
		}
	}
	// The worker holding crashed's claim died long ago; sending's is busy.
	exec(t, db, `UPDATE subscribers SET confirm_claimed_at = now() - interval '11 minutes' WHERE id = $1`, crashed)
	ids := unsent(t, db)
	if len(ids) != 2 || ids[0] != lost || ids[1] != crashed {
		t.Fatalf("unsent = %v, want [%d %d]", ids, lost, crashed)
	}
	if _, ok := claim(t, db, crashed); !ok {
		t.Fatal("a lapsed claim could not be taken over")
	}
	if _, ok := claim(t, db, sending); ok {
		t.Fatal("a live claim was taken over")
	}
}

// An address that left (unsubscribed, or reported a digest as spam) and
// signs up again gets a new confirmation link and its mail at once; its
// token changes when the sign-up is confirmed, not before, so a
// stranger's sign-up breaks none of its links; the token replaced keeps
// unsubscribing, for the mails of before, until the person is erased.
func TestResubscribeRotatesTokensOnConfirmation(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	for _, left := range []domain.SubscriberStatus{domain.StatusUnsubscribed, domain.StatusComplained} {
		addr := string(left) + "@example.org"
		id, _ := subscribe(t, db, addr)
		cl, _ := claim(t, db, id)
		if err := db.FinishConfirmation(ctx, cl); err != nil {
			t.Fatal(err)
		}
		sub, err := db.Confirm(ctx, cl.ConfirmToken, "", consent(), token.New())
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Unsubscribe(ctx, sub.Token, consent()); err != nil {
			t.Fatal(err)
		}
		exec(t, db, `UPDATE subscribers SET status = $2 WHERE id = $1`, id, string(left))

		if _, send := subscribe(t, db, strings.ToUpper(addr)); !send {
			t.Fatalf("%s: re-subscription asked for no confirmation mail", left)
		}
		if _, err := db.SubscriberByToken(ctx, sub.Token); err != nil {
			t.Errorf("%s: old token after an unconfirmed re-subscription: %v, want it still working", left, err)
		}
		if _, err := db.SignupByConfirmToken(ctx, cl.ConfirmToken); !errs.Is(err, errs.NotFound) {
			t.Errorf("%s: old confirmation token after re-subscription: %v, want not found", left, err)
		}
		again, ok := claim(t, db, id)
		if !ok {
			t.Fatalf("%s: the re-subscription's mail waits for the old one's window", left)
		}
		if again.ConfirmToken == cl.ConfirmToken {
			t.Errorf("%s: re-subscription kept the old confirmation token", left)
		}
		confirmed, err := db.Confirm(ctx, again.ConfirmToken, "", consent(), token.New())
		if err != nil {
			t.Fatalf("%s: confirm with the new token: %v", left, err)
		}
		if confirmed.Status != domain.StatusActive {
			t.Errorf("%s: the confirmed re-subscription is %s, want active", left, confirmed.Status)
		}
		if confirmed.Token == sub.Token {
			t.Errorf("%s: the confirmed re-subscription kept the old token", left)
		}
		if _, err := db.SubscriberByToken(ctx, sub.Token); !errs.Is(err, errs.NotFound) {
			t.Errorf("%s: old token after the re-subscription was confirmed: %v, want not found", left, err)
		}
		// The mails of before, still in the inbox, keep unsubscribing
		// with it, and do nothing else.
		if _, err := db.UpdatePreferences(ctx, sub.Token, crFilter, consent()); !errs.Is(err, errs.NotFound) {
			t.Errorf("%s: changing choices with the old token: %v, want not found", left, err)
		}
		if who, err := db.SubscriberByUnsubscribeToken(ctx, sub.Token); err != nil || who.ID != id {
			t.Errorf("%s: the old token's unsubscribe page: %d, %v; want subscriber %d", left, who.ID, err, id)
		}
		if err := db.Unsubscribe(ctx, sub.Token, consent()); err != nil {
			t.Fatalf("%s: unsubscribing with the old token: %v", left, err)
		}
		if got, err := db.SubscriberByToken(ctx, confirmed.Token); err != nil || got.Status != domain.StatusUnsubscribed {
			t.Errorf("%s: after unsubscribing with the old token: %s, %v; want unsubscribed", left, got.Status, err)
		}
		// Erasure forgets every token, the replaced ones too.
		if err := db.EraseSubscriber(ctx, id, "", token.New()); err != nil {
			t.Fatal(err)
		}
		var kept int
		if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM retired_tokens WHERE subscriber_id = $1`, id).Scan(&kept); err != nil || kept != 0 {
			t.Errorf("%s: %d replaced tokens kept after erasure, %v", left, kept, err)
		}
		if _, err := db.SubscriberByUnsubscribeToken(ctx, sub.Token); !errs.Is(err, errs.NotFound) {
			t.Errorf("%s: the old token after erasure: %v, want not found", left, err)
		}
	}
}

// Long texts are cut between characters, never inside one: PostgreSQL
// refuses invalid UTF-8.
func TestLongTextsCutBetweenCharacters(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	c := consent()
	c.UserAgent = strings.Repeat("é", 300) // 600 bytes; the limit, 512, falls inside one
	id, _, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{}, c, tokens())
	if err != nil {
		t.Fatalf("consent with a long multi-byte User-Agent: %v", err)
	}
	var ua string
	if err := db.Pool().QueryRow(ctx, `SELECT user_agent FROM consents WHERE subscriber_id = $1`, id).Scan(&ua); err != nil {
		t.Fatal(err)
	}
	if len(ua) > 512 || !utf8.ValidString(ua) || ua != strings.Repeat("é", 256) {
		t.Errorf("stored User-Agent: %d bytes, valid %v; want 256 é", len(ua), utf8.ValidString(ua))
	}

	// A delivery failing with a long reply in multi-byte characters.
	var delivery int64
	err = db.Pool().QueryRow(ctx, `
		WITH e AS (INSERT INTO editions (status) VALUES ('sending') RETURNING id)
		INSERT INTO deliveries (edition_id, subscriber_id, status) SELECT e.id, $1, 'sending' FROM e RETURNING id`, id,
	).Scan(&delivery)
	if err != nil {
		t.Fatal(err)
	}
	reply := "550 " + strings.Repeat("€", 400) + "\xff" // 1205 bytes, an invalid byte at the end
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: delivery, Status: "failed", Failure: domain.FailurePermanent, Error: reply}}, 3); err != nil {
		t.Fatalf("record a failure with a long multi-byte reply: %v", err)
	}
	var stored string
	if err := db.Pool().QueryRow(ctx, `SELECT last_error FROM deliveries WHERE id = $1`, delivery).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) > 1000 || !utf8.ValidString(stored) || !strings.HasPrefix(stored, "550 €€") {
		t.Errorf("stored reply: %d bytes, valid %v, %.12q", len(stored), utf8.ValidString(stored), stored)
	}
}
