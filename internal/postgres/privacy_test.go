package postgres_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

// privacyErasedEmail erases the subscriber with address addr and returns
// what their address became.
func privacyErasedEmail(t *testing.T, db *postgres.DB, addr string) string {
	t.Helper()
	ctx := context.Background()
	id, _ := subscribe(t, db, addr)
	if err := db.EraseSubscriber(ctx, id, "", token.New()); err != nil {
		t.Fatal(err)
	}
	var email, action, actor, form string
	if err := db.Pool().QueryRow(ctx, `SELECT s.email, c.action, c.actor, c.form_version FROM subscribers s
		JOIN consents c ON c.subscriber_id = s.id WHERE s.id = $1 ORDER BY c.id DESC LIMIT 1`, id).
		Scan(&email, &action, &actor, &form); err != nil {
		t.Fatal(err)
	}
	if action != domain.ActionErase || actor != "" || form != "preferences" {
		t.Errorf("the person's own erasure is recorded as %s by %q on %q; want erase by \"\" on preferences", action, actor, form)
	}
	return email
}

// An erased address is kept as an HMAC keyed from SECRET_KEY: the same
// for any case of the address, different under another key, and it still
// turns away an import of the address. A sign-up is the person's own
// double opt-in, and starts anew.
func TestPrivacyErasedAddressIsKeyedHash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	secretA, secretB := []byte("a-secret-key-of-at-least-32-chars!!"), []byte("another-secret-key-of-32-chars-or-more")
	urlA := testenv.DatabaseURL(t)
	dbA, dbB := testenv.OpenKeyed(t, urlA, secretA), testenv.OpenKeyed(t, testenv.DatabaseURL(t), secretB)

	gotA := privacyErasedEmail(t, dbA, "Gone@Example.org")
	gotB := privacyErasedEmail(t, dbB, "gone@example.ORG")
	sub := hmac.New(sha256.New, secretA)
	sub.Write([]byte("newsdigest erased address"))
	m := hmac.New(sha256.New, sub.Sum(nil))
	m.Write([]byte("gone@example.org"))
	if want := "erased:" + hex.EncodeToString(m.Sum(nil)); gotA != want {
		t.Errorf("erased address = %q, want the keyed hash %q", gotA, want)
	}
	if gotA == gotB {
		t.Errorf("two SECRET_KEYs gave the same erased address %q", gotA)
	}

	imported, skipped, err := dbA.ImportSubscribers(ctx, &rowSource{rows: []domain.ImportRow{row("Gone@example.org", false)}}, consent())
	if err != nil || imported != 0 || skipped != 1 {
		t.Errorf("import after erasure = %d imported, %d skipped, %v; want it skipped", imported, skipped, err)
	}

	// Under another key the hash no longer matches: the key is what
	// recognises the address.
	dbA = testenv.OpenKeyed(t, urlA, secretB)
	imported, _, err = dbA.ImportSubscribers(ctx, &rowSource{rows: []domain.ImportRow{row("Gone@example.org", false)}}, consent())
	if err != nil || imported != 1 {
		t.Errorf("import under another key = %d imported, %v; want it imported", imported, err)
	}
}

// After a change of SECRET_KEY, an address erased under the key it
// replaced is still recognised while that key is kept as
// SECRET_KEY_PREVIOUS, and an erasure from then on writes the new key's
// hash.
func TestPrivacyErasedUnderThePreviousKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	old, current := []byte("a-secret-key-of-at-least-32-chars!!"), []byte("another-secret-key-of-32-chars-or-more")
	url := testenv.DatabaseURL(t)
	if got := privacyErasedEmail(t, testenv.OpenKeyed(t, url, old), "gone@example.org"); got != privacyErasedEmailUnder(t, old, "gone@example.org") {
		t.Fatalf("erased under the old key as %q, want its hash under that key", got)
	}
	db := testenv.OpenKeyed(t, url, current, old)
	p, err := db.PreviewImportSubscribers(ctx, &rowSource{rows: []domain.ImportRow{row("Gone@example.org", false)}}, consent())
	if err != nil || p.Imported != 0 || p.SkipReasons[domain.StatusErased] != 1 {
		t.Errorf("preview under the new key with the old kept = %+v, %v; want the address skipped as erased", p, err)
	}
	if got := privacyErasedEmail(t, db, "other@example.org"); got != privacyErasedEmailUnder(t, current, "other@example.org") {
		t.Errorf("an erasure with the old key kept wrote %q, want the new key's hash", got)
	}
}

// privacyErasedEmailUnder is the keyed hash an address becomes under
// SECRET_KEY secret.
func privacyErasedEmailUnder(t *testing.T, secret []byte, addr string) string {
	t.Helper()
	sub := hmac.New(sha256.New, secret)
	sub.Write([]byte("newsdigest erased address"))
	m := hmac.New(sha256.New, sub.Sum(nil))
	m.Write([]byte(strings.ToLower(addr)))
	return "erased:" + hex.EncodeToString(m.Sum(nil))
}

// The person may sign up again after erasure: a new pending row and a
// confirmation mail, in any case of the address. Erased again, the
// address leaves its keyed hash twice.
func TestPrivacyErasedAddressMaySignUpAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.OpenKeyed(t, testenv.DatabaseURL(t), []byte("a-secret-key-of-at-least-32-chars!!"))
	first := privacyErasedEmail(t, db, "back@example.org")
	id, send, err := db.Subscribe(ctx, "Back@example.org", crFilter, domain.SignupSchedule{}, consent(), tokens())
	if err != nil || send != domain.MailConfirmation {
		t.Fatalf("Subscribe after erasure: send %v, err %v; want a confirmation", send, err)
	}
	if err := db.EraseSubscriber(ctx, id, "editor@example.org", token.New()); err != nil {
		t.Fatalf("erasing the address a second time: %v", err)
	}
	var same int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM subscribers WHERE email = $1 AND status = 'erased'`, first).Scan(&same); err != nil || same != 2 {
		t.Errorf("%d erased rows hold the keyed hash (%v), want 2", same, err)
	}
}

// A database is opened with the key erased addresses are hashed with, or
// not at all: no process can forget it and hash with an empty key.
func TestPrivacyOpenNeedsTheErasureKey(t *testing.T) {
	t.Parallel()
	db, err := postgres.Open(context.Background(), testenv.DatabaseURL(t), nil)
	if err == nil {
		db.Close()
		t.Fatal("a database opened without the key erased addresses are hashed with")
	}
	if !strings.Contains(err.Error(), "SECRET_KEY") {
		t.Errorf("the refusal %q does not name SECRET_KEY", err)
	}
}

// Rows erased before the key existed hold an unkeyed SHA-256, which
// cannot be re-keyed: they still turn an import of the address away.
func TestPrivacyLegacyErasedAddressStillRecognised(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.OpenKeyed(t, testenv.DatabaseURL(t), []byte("a-secret-key-of-at-least-32-chars!!"))
	id, _ := subscribe(t, db, "old@example.org")
	exec(t, db, `UPDATE subscribers SET status = 'erased',
		email = 'erased:' || encode(sha256(convert_to(lower(email), 'UTF8')), 'hex') WHERE id = $1`, id)
	p, err := db.PreviewImportSubscribers(ctx, &rowSource{rows: []domain.ImportRow{row("old@example.org", false)}}, consent())
	if err != nil || p.Imported != 0 || p.SkipReasons[domain.StatusErased] != 1 {
		t.Errorf("preview = %+v, %v; want the address skipped as erased", p, err)
	}
}

// Only sign-ups pending and never confirmed for longer than the
// confirmation link lasts are purged, with their consent records.
func TestPrivacyPurgeUnconfirmed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openBulkDB(t)
	old := func(id int64) {
		exec(t, db, `UPDATE subscribers SET created_at = now() - interval '8 days',
			confirm_expires_at = CASE WHEN confirm_expires_at IS NULL THEN NULL ELSE now() - interval '1 day' END WHERE id = $1`, id)
	}
	stale, _ := subscribe(t, db, "stale@example.org")
	old(stale)
	fresh, _ := subscribe(t, db, "fresh@example.org")
	renewed, _ := subscribe(t, db, "renewed@example.org") // old, but signed up again: its link still works
	exec(t, db, `UPDATE subscribers SET created_at = now() - interval '8 days' WHERE id = $1`, renewed)
	active, _ := subscribe(t, db, "active@example.org")
	exec(t, db, `UPDATE subscribers SET status = 'active', confirmed_at = now(), confirm_token = NULL WHERE id = $1`, active)
	old(active)
	back, _ := subscribe(t, db, "back@example.org") // confirmed once, left, signed up again
	exec(t, db, `UPDATE subscribers SET confirmed_at = now() - interval '20 days' WHERE id = $1`, back)
	old(back)
	left, _ := subscribe(t, db, "left@example.org")
	exec(t, db, `UPDATE subscribers SET status = 'unsubscribed' WHERE id = $1`, left)
	old(left)

	n, err := db.PurgeUnconfirmed(ctx)
	if err != nil || n != 1 {
		t.Fatalf("PurgeUnconfirmed = %d, %v; want 1", n, err)
	}
	var ids []int64
	rows, _ := db.Pool().Query(ctx, `SELECT id FROM subscribers ORDER BY id`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if want := []int64{fresh, renewed, active, back, left}; !slices.Equal(ids, want) {
		t.Errorf("left after the purge: %v, want %v (all but %d)", ids, want, stale)
	}
	var consents int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM consents WHERE subscriber_id = $1`, stale).Scan(&consents); err != nil || consents != 0 {
		t.Errorf("%d consents of the purged sign-up left (%v)", consents, err)
	}
	if n, err := db.PurgeUnconfirmed(ctx); err != nil || n != 0 {
		t.Errorf("second purge = %d, %v; want nothing", n, err)
	}
}

// A sign-up of an address that had left, or reported a digest as spam,
// is not the person's until confirmed: left to lapse, the address goes
// back to what it was, with its consent records, and is neither deleted
// nor brought back by an operator's list. Confirmed, it is an active
// reader like any other, and nothing puts it back.
func TestLapsedSignUpOfAnAddressThatLeftGoesBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openBulkDB(t)
	signUp := func(email string) string {
		t.Helper()
		tok := tokens()
		if _, _, err := db.Subscribe(ctx, email, crFilter, domain.SignupSchedule{}, consent(), tok); err != nil {
			t.Fatalf("sign up %s: %v", email, err)
		}
		return tok.Confirm
	}
	confirm := func(confirmToken string) domain.Subscriber {
		t.Helper()
		s, err := db.Confirm(ctx, confirmToken, "", consent(), token.New())
		if err != nil {
			t.Fatalf("confirm: %v", err)
		}
		return s
	}
	status := func(email string) string {
		t.Helper()
		var st string
		if err := db.Pool().QueryRow(ctx, `SELECT status FROM subscribers WHERE email = $1`, email).Scan(&st); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		return st
	}

	// Complained at their first confirmation mail, then signed up by
	// someone else.
	signUp("vic@example.org")
	exec(t, db, `UPDATE subscribers SET status = 'complained' WHERE email = 'vic@example.org'`)
	signUp("vic@example.org")
	// A reader who left, signed up again.
	left := confirm(signUp("left@example.org"))
	if err := db.Unsubscribe(ctx, left.Token, consent()); err != nil {
		t.Fatal(err)
	}
	signUp("left@example.org")
	// One who complained and came back, confirming it.
	signUp("back@example.org")
	exec(t, db, `UPDATE subscribers SET status = 'complained' WHERE email = 'back@example.org'`)
	confirm(signUp("back@example.org"))
	for _, email := range []string{"vic@example.org", "left@example.org"} {
		if st := status(email); st != string(domain.StatusPending) {
			t.Fatalf("%s signed up again: %s, want pending", email, st)
		}
	}
	var consentsBefore int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM consents`).Scan(&consentsBefore); err != nil {
		t.Fatal(err)
	}

	exec(t, db, `UPDATE subscribers SET created_at = now() - interval '30 days', confirm_expires_at = now() - interval '1 day'
		WHERE confirm_expires_at IS NOT NULL`)
	if n, err := db.PurgeUnconfirmed(ctx); err != nil || n != 0 {
		t.Fatalf("PurgeUnconfirmed = %d, %v; want nothing deleted", n, err)
	}
	if n, err := db.ReturnLapsedSignUps(ctx); err != nil || n != 2 {
		t.Fatalf("ReturnLapsedSignUps = %d, %v; want 2", n, err)
	}
	for email, want := range map[string]domain.SubscriberStatus{"vic@example.org": domain.StatusComplained,
		"left@example.org": domain.StatusUnsubscribed, "back@example.org": domain.StatusActive} {
		if st := status(email); st != string(want) {
			t.Errorf("%s once the link lapsed: %s, want %s", email, st, want)
		}
	}
	var links, consentsAfter int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE confirm_token IS NOT NULL), (SELECT count(*) FROM consents)
		FROM subscribers WHERE email IN ('vic@example.org', 'left@example.org')`).Scan(&links, &consentsAfter); err != nil {
		t.Fatal(err)
	}
	if links != 0 || consentsAfter != consentsBefore {
		t.Errorf("after going back: %d confirmation links left, %d consents of %d", links, consentsAfter, consentsBefore)
	}
	if n, err := db.ReturnLapsedSignUps(ctx); err != nil || n != 0 {
		t.Errorf("second run = %d, %v; want nothing", n, err)
	}
	imported, skipped, err := db.ImportSubscribers(ctx, &rowSource{rows: []domain.ImportRow{
		row("vic@example.org", false), row("left@example.org", false)}}, consent())
	if err != nil || imported != 0 || skipped != 2 {
		t.Errorf("an operator's list of the two: %d imported, %d skipped, %v; want both skipped", imported, skipped, err)
	}
}

// TestErasureTakesTheTestSendsOfThePerson: an erasure takes every test
// send of the person, those sent to their address and those of their
// own digest (a preview as a named subscriber, sent to an editor, which
// holds their choices until it is done); a test send done holds nothing
// of anyone.
func TestErasureTakesTheTestSendsOfThePerson(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, _ := subscribe(t, db, "named@example.org")
	for _, ts := range []domain.TestSend{
		{SubscriberID: id, Filter: crFilter, Recipient: "editor@example.org"},
		{Filter: crFilter, Recipient: "Named@example.org"},
		{Filter: crFilter, Recipient: "other.editor@example.org"},
	} {
		if _, _, err := db.SaveTestSend(ctx, ts, "editor@example.org"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.EraseSubscriber(ctx, id, "editor@example.org", token.New()); err != nil {
		t.Fatal(err)
	}
	var left []string
	rows, err := db.Pool().Query(ctx, `SELECT recipient FROM test_sends`)
	if err == nil {
		left, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil || len(left) != 1 || left[0] != "other.editor@example.org" {
		t.Errorf("test sends left after the erasure: %v (%v), want the other editor's alone", left, err)
	}
	got, err := db.TestSendsBy(ctx, "editor@example.org", 5)
	if err != nil || len(got) != 1 {
		t.Fatalf("the editor's test sends: %+v %v", got, err)
	}
	if err := db.FinishTestSend(ctx, got[0].ID, domain.TestSendSent, ""); err != nil {
		t.Fatal(err)
	}
	var held int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM test_sends WHERE recipient IS NOT NULL OR subscriber_id <> 0 OR filter <> '{}'`).Scan(&held); err != nil || held != 0 {
		t.Errorf("%d test sends done still hold an address, a subscriber or choices (%v)", held, err)
	}
}
