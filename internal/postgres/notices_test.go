package postgres_test

import (
	"context"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

func claimNotice(t *testing.T, db *postgres.DB, id int64, kind string) (domain.NoticeClaim, bool) {
	t.Helper()
	cl, err := db.ClaimNotice(context.Background(), id, kind)
	if errs.Is(err, errs.NotFound) {
		return cl, false
	}
	if err != nil {
		t.Fatalf("ClaimNotice(%d, %s): %v", id, kind, err)
	}
	return cl, true
}

// A confirmation makes one welcome due, which one worker claims and
// sends once; a retry after it went out finds nothing.
func TestWelcomeDueOncePerConfirmation(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	id, _ := subscribe(t, db, "ana@example.org")
	if _, ok := claimNotice(t, db, id, domain.NoticeWelcome); ok {
		t.Fatal("a welcome was claimed before the confirmation")
	}
	cl, _ := claim(t, db, id)
	if _, err := db.Confirm(ctx, cl.ConfirmToken, "", consent(), token.New()); err != nil {
		t.Fatal(err)
	}
	w, ok := claimNotice(t, db, id, domain.NoticeWelcome)
	if !ok || w.Subscriber.Email != "ana@example.org" || w.Subscriber.Token == "" {
		t.Fatalf("welcome claim = %+v, %v; want ana's", w, ok)
	}
	if _, ok := claimNotice(t, db, id, domain.NoticeWelcome); ok {
		t.Fatal("a second task claimed the welcome the first holds")
	}
	if err := db.ReleaseNotice(ctx, w); err != nil {
		t.Fatal(err)
	}
	if w, ok = claimNotice(t, db, id, domain.NoticeWelcome); !ok {
		t.Fatal("the welcome could not be claimed again after a release")
	}
	if err := db.FinishNotice(ctx, w); err != nil {
		t.Fatal(err)
	}
	if _, ok := claimNotice(t, db, id, domain.NoticeWelcome); ok {
		t.Fatal("a welcome already sent was claimed again")
	}
	if due, err := db.UnsentNotices(ctx); err != nil || len(due) != 0 {
		t.Fatalf("unsent notices after sending = %v, %v", due, err)
	}
}

// An active address signed up again asks for one "known" notice an hour;
// one that left by the time the worker gets to it is sent nothing.
func TestKnownNoticeOncePerWindow(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	id, _ := subscribe(t, db, "ana@example.org")
	cl, _ := claim(t, db, id)
	if _, err := db.Confirm(ctx, cl.ConfirmToken, "", consent(), token.New()); err != nil {
		t.Fatal(err)
	}
	signUp := func() domain.SignupMail {
		t.Helper()
		_, mail, err := db.Subscribe(ctx, "ANA@example.org", crFilter, domain.SignupSchedule{}, consent(), tokens())
		if err != nil {
			t.Fatal(err)
		}
		return mail
	}
	if m := signUp(); m != domain.MailKnown {
		t.Fatalf("sign-up of an active address asked for %q, want the known notice", m)
	}
	if m := signUp(); m != domain.MailNone {
		t.Fatalf("a second sign-up while the notice is due asked for %q", m)
	}
	k, ok := claimNotice(t, db, id, domain.NoticeKnown)
	if !ok {
		t.Fatal("the known notice could not be claimed")
	}
	if err := db.FinishNotice(ctx, k); err != nil {
		t.Fatal(err)
	}
	if m := signUp(); m != domain.MailNone {
		t.Fatalf("a sign-up within the hour of the last notice asked for %q", m)
	}
	exec(t, db, `UPDATE notices SET sent_at = now() - interval '61 minutes' WHERE subscriber_id = $1`, id)
	if m := signUp(); m != domain.MailKnown {
		t.Fatalf("a sign-up past the hour asked for %q, want the known notice", m)
	}

	// They leave before the worker sends it: nothing is claimed.
	sub, err := db.SubscriberRecord(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Unsubscribe(ctx, sub.Token, consent()); err != nil {
		t.Fatal(err)
	}
	if _, ok := claimNotice(t, db, id, domain.NoticeKnown); ok {
		t.Fatal("a notice was claimed for someone who left")
	}
}

// A pause is stored, shown while it lies ahead, recorded with the
// consents, and makes the compile's recipient list mark the subscriber
// as paused for editions before its end only.
func TestPauseMarksRecipientsUntilItEnds(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	id, _ := subscribe(t, db, "ana@example.org")
	cl, _ := claim(t, db, id)
	sub, err := db.Confirm(ctx, cl.ConfirmToken, "", consent(), token.New())
	if err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(14 * 24 * time.Hour)
	paused, err := db.Pause(ctx, sub.Token, until, consent())
	if err != nil || paused.PausedUntil == nil || !paused.PausedUntil.Round(time.Second).Equal(until.Round(time.Second)) {
		t.Fatalf("Pause = %+v, %v; want paused until %v", paused.PausedUntil, err, until)
	}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{{time.Now(), true}, {until.Add(-time.Minute), true}, {until.Add(time.Minute), false}} {
		rs, err := db.ActiveRecipients(ctx, 0, 10, nil, tc.at)
		if err != nil || len(rs) != 1 || rs[0].Paused != tc.want {
			t.Errorf("recipients for an edition at %v = %+v, %v; want paused %v", tc.at, rs, err, tc.want)
		}
	}
	resumed, err := db.Resume(ctx, sub.Token, consent())
	if err != nil || resumed.PausedUntil != nil {
		t.Fatalf("Resume = %+v, %v", resumed.PausedUntil, err)
	}
	if _, err := db.Resume(ctx, sub.Token, consent()); err != nil {
		t.Fatalf("resuming when not paused: %v", err)
	}
	consents, err := db.SubscriberConsents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, c := range consents {
		actions = append(actions, c.Action)
	}
	if got := len(actions); got != 4 || actions[2] != "pause" || actions[3] != "resume" {
		t.Errorf("consents = %v, want subscribe, confirm, pause, resume", actions)
	}
	if err := db.Unsubscribe(ctx, sub.Token, consent()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pause(ctx, sub.Token, until, consent()); !errs.Is(err, errs.Conflict) {
		t.Errorf("pausing after leaving: %v, want a conflict", err)
	}
}
