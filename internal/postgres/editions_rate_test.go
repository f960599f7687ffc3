package postgres_test

import (
	"context"
	"math"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// TestResumedEditionsRateLeavesOutThePause: an edition that paused
// itself for an hour and was resumed sends at the rate it sends, not one
// that counts the hour it waited for an editor.
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
	for _, b := range batches[2:] {
		attempt(t, db, id, b, domain.DeliverySent)
	}
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
	// Four sent in the 10 s before the pause and the moments since the
	// resume (at most elapsed), where the hour counted would make it 0.0.
	lo, hi := math.Floor(4/(10+elapsed)*10)/10, math.Ceil(4.0/10*10)/10
	if e.Sent != 4 || e.Rate < lo || e.Rate > hi || e.Rate == 0 && lo > 0 {
		t.Errorf("resumed after an hour's pause: %d sent at %v a second; want 4 at %v to %v", e.Sent, e.Rate, lo, hi)
	}
}
