package postgres_test

import (
	"context"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// TestListsFindThePaused: the subscriber list's "paused" selects the
// active readers whose pause has not ended, not one whose pause is over
// nor one who left while paused, and the counts give them apart.
func TestListsFindThePaused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	for _, p := range []struct{ email, status, pause string }{
		{"paused@example.org", "active", "now() + interval '1 week'"},
		{"over@example.org", "active", "now() - interval '1 day'"},
		{"left@example.org", "unsubscribed", "now() + interval '1 week'"},
		{"reading@example.org", "active", "NULL"},
	} {
		if _, err := db.Pool().Exec(ctx, `INSERT INTO subscribers (email, status, countries, token, paused_until)
			VALUES ($1, $2, '{CR}', md5($1), `+p.pause+`)`, p.email, p.status); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Subscribers(ctx, domain.SubscriberFilter{Status: domain.ListPaused, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Email != "paused@example.org" {
		t.Errorf("paused: %+v, want paused@example.org alone", got)
	}
	counts, err := db.SubscriberCounts(ctx, domain.SubscriberFilter{Country: "CR"})
	if err != nil {
		t.Fatal(err)
	}
	if counts[domain.StatusActive] != 3 || counts[domain.ListPaused] != 1 || counts[domain.StatusUnsubscribed] != 1 {
		t.Errorf("counts %v, want 3 active of whom 1 paused, 1 unsubscribed", counts)
	}
}
