package postgres_test

import (
	"context"
	"math"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// TestResumedEditionsRateLeavesOutThePause: an edition that paused
// itself for an hour and was resumed sends at the rate it sends, not one
// that counts the hour it waited for an editor; and so does its first
// round, once a retry sends it again.
func TestResumedEditionsRateLeavesOutThePause(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, batches := sendingEdition(t, db, []string{"a@example.org", "b@example.org", "c@example.org", "d@example.org"}, 0)
	for _, b := range batches[:2] {
		attempt(t, db, id, b, domain.DeliverySent)
	}
	if ok, err := db.PauseEdition(ctx, id, domain.EditionPauseNote{Cause: domain.PauseBounces, Count: 1, Of: 2}); err != nil || !ok {
		t.Fatalf("pause: %v %v", ok, err)
	}
	// It sent its two in the 10 s before it paused, an hour ago.
	began := time.Now()
	if _, err := db.Pool().Exec(ctx, `UPDATE editions SET sending_started_at = now() - interval '1 hour 10 seconds',
		paused_at = now() - interval '1 hour' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if err := db.ResumeEdition(ctx, id); err != nil {
		t.Fatal(err)
	}
	attempt(t, db, id, batches[2], domain.DeliverySent)
	record(t, db, id, batches[3], domain.DeliveryFailed, domain.FailureTemporary)
	e, err := db.Edition(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(began).Seconds()
	var paused float64
	if err := db.Pool().QueryRow(ctx, `SELECT paused_seconds FROM editions WHERE id = $1`, id).Scan(&paused); err != nil {
		t.Fatal(err)
	}
	if paused < 3600 || paused > 3600+elapsed {
		t.Errorf("paused for %.1f s; want the hour it waited, up to %.1f s more", paused, elapsed)
	}
	// Three sent in the 10 s before the pause and the moments since the
	// resume (at most elapsed), where the hour counted would make it 0.0.
	lo, hi := math.Floor(3/(10+elapsed)*10)/10, math.Ceil(3.0/10*10)/10
	if e.Sent != 3 || e.Rate < lo || e.Rate > hi || e.Rate == 0 && lo > 0 {
		t.Errorf("resumed after an hour's pause: %d sent at %v a second; want 3 at %v to %v", e.Sent, e.Rate, lo, hi)
	}

	// A retry starts a round of its own, which no pause held; the first
	// round's rate still leaves its pause out.
	if _, err := db.FinishEditionIfComplete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if r, err := db.RetryFailed(ctx, id); err != nil || r.Retried != 1 {
		t.Fatalf("retry: %+v %v", r, err)
	}
	if err := db.Pool().QueryRow(ctx, `SELECT paused_seconds FROM editions WHERE id = $1`, id).Scan(&paused); err != nil || paused != 0 {
		t.Errorf("the retry's round starts paused for %v s (%v); want 0", paused, err)
	}
	if e, err = db.Edition(ctx, id); err != nil || e.FirstSend == nil {
		t.Fatalf("after the retry: %+v %v", e, err)
	}
	elapsed = time.Since(began).Seconds()
	if lo := math.Floor(3/(10+elapsed)*10) / 10; e.FirstSend.Sent != 3 || e.FirstSend.Rate < lo || e.FirstSend.Rate == 0 && lo > 0 {
		t.Errorf("the first round: %d sent at %v a second; want 3 at %v or more", e.FirstSend.Sent, e.FirstSend.Rate, lo)
	}
}

// TestRateLeavesOutAPauseNoEditorEnded: an edition cancelled while it
// waited for an editor sent nothing after it paused; and a retry begun by
// a process that does not know the paused time (an older version) starts
// a round that the last round's pause does not hold.
func TestRateLeavesOutAPauseNoEditorEnded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pausedAnHourAgo := func(db *postgres.DB, people ...string) (int64, []domain.IDRange) {
		t.Helper()
		id, batches := sendingEdition(t, db, people, 0)
		attempt(t, db, id, batches[0], domain.DeliverySent)
		attempt(t, db, id, batches[1], domain.DeliverySent)
		if ok, err := db.PauseEdition(ctx, id, domain.EditionPauseNote{Cause: domain.PauseBounces, Count: 1, Of: 2}); err != nil || !ok {
			t.Fatalf("pause: %v %v", ok, err)
		}
		// Its two sent in the 10 s before it paused, an hour ago.
		if _, err := db.Pool().Exec(ctx, `UPDATE editions SET sending_started_at = now() - interval '1 hour 10 seconds',
			paused_at = now() - interval '1 hour' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return id, batches
	}

	db := testenv.Database(t)
	cancelled, _ := pausedAnHourAgo(db, "a@example.org", "b@example.org", "c@example.org")
	if _, err := db.CancelEdition(ctx, cancelled); err != nil {
		t.Fatal(err)
	}
	if e, err := db.Edition(ctx, cancelled); err != nil || e.Rate != 0.2 {
		t.Errorf("cancelled an hour into its pause: %+v, %v; want a rate of 0.2, two in the 10 s before it", e, err)
	}

	db = testenv.Database(t)
	retried, batches := pausedAnHourAgo(db, "d@example.org", "e@example.org", "f@example.org", "g@example.org")
	if err := db.ResumeEdition(ctx, retried); err != nil {
		t.Fatal(err)
	}
	attempt(t, db, retried, batches[2], domain.DeliverySent)
	record(t, db, retried, batches[3], domain.DeliveryFailed, domain.FailureTemporary)
	if _, err := db.FinishEditionIfComplete(ctx, retried); err != nil {
		t.Fatal(err)
	}
	// The retry as a process of the version before 00068 makes it: a new
	// round, the paused time left as it was.
	began := time.Now()
	if _, err := db.Pool().Exec(ctx, `
		UPDATE deliveries SET status = 'pending', failure = '' WHERE edition_id = $1 AND status = 'failed';
		`, retried); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE editions SET status = 'sending', finished_at = NULL, failed = 0,
		first_sent = sent, first_finished_at = finished_at, round_started_at = now() - interval '10 seconds', round_sent_from = sent
		WHERE id = $1`, retried); err != nil {
		t.Fatal(err)
	}
	claims, err := db.ClaimDeliveries(ctx, retried, batches[3], time.Minute)
	if err != nil || len(claims) != 1 {
		t.Fatalf("claims after the retry: %+v %v", claims, err)
	}
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: claims[0].ID, Status: domain.DeliverySent}}, 3); err != nil {
		t.Fatal(err)
	}
	e, err := db.Edition(ctx, retried)
	if err != nil {
		t.Fatal(err)
	}
	// One sent in the retry's round, begun 10 s (and what this test took
	// since) ago: the hour's pause of the round before would make it 0.
	if lo := math.Floor(1/(10+time.Since(began).Seconds())*10) / 10; e.Rate < lo || e.Rate == 0 && lo > 0 {
		t.Errorf("a retry's round after a resumed pause: rate %v; want %v or more", e.Rate, lo)
	}
}
