package postgres_test

import (
	"context"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

// A confirmation page's signature covers the schedule as it covers the
// choices: a stranger's sign-up that changes only when a pending
// address's digest arrives makes the button of the page shown before it
// confirm nothing; the page shown anew confirms the schedule it shows.
func TestConfirmChecksTheScheduleShown(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	tk := tokens()
	weekly := &domain.ReaderSchedule{Frequency: domain.FrequencyWeekly, Timezone: "America/Costa_Rica", Hour: 8}
	if _, _, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{Own: weekly}, consent(), tk); err != nil {
		t.Fatal(err)
	}
	page, err := db.SignupByConfirmToken(ctx, tk.Confirm)
	if err != nil {
		t.Fatal(err)
	}
	if page.Schedule == nil || *page.Schedule != *weekly {
		t.Fatalf("the confirmation page's sign-up has schedule %+v, want %+v", page.Schedule, weekly)
	}
	shown := page.ChoicesSignature()

	tokyo := &domain.ReaderSchedule{Frequency: domain.FrequencyDaily, Timezone: "Asia/Tokyo", Hour: 3}
	if _, _, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{Own: tokyo}, consent(), tokens()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Confirm(ctx, tk.Confirm, shown, consent(), token.New()); !errs.Is(err, errs.Conflict) {
		t.Fatalf("confirming a schedule changed since the page was shown: %v, want a conflict", err)
	}
	again, err := db.SignupByConfirmToken(ctx, tk.Confirm)
	if err != nil {
		t.Fatalf("the link after the refused confirmation: %v, want it still pending", err)
	}
	if again.Schedule == nil || *again.Schedule != *tokyo {
		t.Fatalf("the page shown again has schedule %+v, want %+v", again.Schedule, tokyo)
	}
	if _, err := db.Confirm(ctx, tk.Confirm, again.ChoicesSignature(), consent(), token.New()); err != nil {
		t.Fatalf("confirming the schedule shown: %v", err)
	}
}
