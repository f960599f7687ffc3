package postgres_test

import (
	"context"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/token"
)

// A suppressed or erased address is not revived by a sign-up or an
// import, and an erased one keeps nothing that names the person.
func TestStoppedAddressesStayStopped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openBulkDB(t)
	sup, _ := subscribe(t, db, "sup@example.org")
	era, _ := subscribe(t, db, "Era@Example.org")
	if _, err := db.StopSubscriber(ctx, sup, domain.ActionSuppress, "editor@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := db.EraseSubscriber(ctx, era, "editor@example.org", token.New()); err != nil {
		t.Fatal(err)
	}
	if err := db.EraseSubscriber(ctx, era, "editor@example.org", token.New()); !errs.Is(err, errs.Conflict) {
		t.Errorf("erasing twice: %v, want a conflict", err)
	}
	if _, err := db.StopSubscriber(ctx, sup, domain.ActionUnsubscribe, "x"); !errs.Is(err, errs.Conflict) {
		t.Errorf("unsubscribing a suppressed address: %v, want a conflict", err)
	}

	var email string
	var named int
	if err := db.Pool().QueryRow(ctx, `SELECT email FROM subscribers WHERE id = $1`, era).Scan(&email); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM consents WHERE subscriber_id = $1 AND (ip <> '' OR user_agent <> '')`, era).
		Scan(&named); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(email), "era@") || named != 0 {
		t.Errorf("erased row: email %q, %d consents with an IP or browser", email, named)
	}

	// A sign-up does not revive a suppressed address (an erased one is the
	// person's to sign up again, see TestPrivacyErasedAddressMaySignUpAgain).
	if _, send, err := db.Subscribe(ctx, "sup@example.org", crFilter, domain.SignupSchedule{}, consent(), tokens()); err != nil || send != domain.MailNone {
		t.Errorf("Subscribe(sup@example.org) = send %v, err %v; want nothing sent", send, err)
	}
	src := &rowSource{rows: []domain.ImportRow{row("sup@example.org", false), row("era@example.org", false), row("new@example.org", false)}}
	p, err := db.PreviewImportSubscribers(ctx, src, consent())
	if err != nil {
		t.Fatal(err)
	}
	if p.Imported != 1 || p.Skipped != 2 || p.SkipReasons[domain.StatusSuppressed] != 1 || p.SkipReasons[domain.StatusErased] != 1 {
		t.Errorf("preview = %+v, want new@ imported and the suppressed and erased skipped", p)
	}
	if got := storedEmails(t, db); len(got) != 2 {
		t.Errorf("after the preview the stored addresses are %v; it wrote", got)
	}
	src = &rowSource{rows: src.rows}
	imported, skipped, err := db.ImportSubscribers(ctx, src, consent())
	if err != nil || imported != 1 || skipped != 2 {
		t.Errorf("import = %d imported, %d skipped, err %v; want 1 and 2", imported, skipped, err)
	}
	var statuses string
	if err := db.Pool().QueryRow(ctx, `SELECT string_agg(status, ',' ORDER BY id) FROM subscribers`).Scan(&statuses); err != nil {
		t.Fatal(err)
	}
	if statuses != "suppressed,erased,active" {
		t.Errorf("statuses = %s", statuses)
	}
}
