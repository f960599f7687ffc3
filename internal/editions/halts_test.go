package editions_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// TestStoppedEditionStopsItsBatchAtOnce: a batch in progress stops
// handing digests to the relay as soon as its edition is cancelled or
// pauses itself, not at its next look: here it would look only once an
// hour, and the edition's word (the edition_halt notice, which
// FollowHalts listens for) is all that can stop it. What it had not
// handed over is skipped as cancelled, or put back for the resume.
func TestStoppedEditionStopsItsBatchAtOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		stop func(f *fixture, id int64)
		want domain.EditionStatus
		left string // the status of the deliveries not handed over
	}{
		{"cancelled", func(f *fixture, id int64) {
			if _, err := f.db.CancelEdition(f.ctx, id); err != nil {
				f.t.Fatal(err)
			}
		}, domain.EditionDone, "skipped"},
		{"paused", func(f *fixture, id int64) {
			if ok, err := f.db.PauseEdition(f.ctx, id, domain.EditionPauseNote{Cause: domain.PauseBounces, Count: 1, Of: 1}); err != nil || !ok {
				f.t.Fatalf("pause: %v %v", ok, err)
			}
		}, domain.EditionPaused, "pending"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.item(*day("2021-06-01"), "Story of June", "CR")
			const readers = 5
			for i := range readers {
				f.subscriber(fmt.Sprintf("reader%d@example.org", i), "CR")
			}
			e := f.compile(domain.NewEdition{})
			follow, unfollow := context.WithCancel(f.ctx)
			defer unfollow()
			go f.sender.FollowHalts(follow)
			waitListening(t, f)

			// Looks once an hour: only the edition's word makes it look
			// once it stopped.
			f.sender.WatchEvery = time.Hour
			sendWaitingFor(t, f, 1, func() { c.stop(f, e.ID) })

			if n := len(f.smtp.Messages()); n != 1 {
				t.Errorf("the relay got %d digests, want only the 1 handed over before the stop", n)
			}
			left := 0
			for _, d := range f.deliveries(e.ID) {
				if d.Status == c.left {
					left++
				}
			}
			if left != readers-1 {
				t.Errorf("%d deliveries %s after the stop, want %d", left, c.left, readers-1)
			}
			if got := f.edition(e.ID); got.Status != c.want || got.Sent != 1 {
				t.Errorf("edition: %s, %d sent; want %s, 1 sent", got.Status, got.Sent, c.want)
			}
		})
	}
}

// waitListening waits until the fixture's database has a session
// listening for editions that stop.
func waitListening(t *testing.T, f *fixture) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		var n int
		if err := f.db.Pool().QueryRow(f.ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query = 'LISTEN edition_halt'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("nothing listens for editions that stop")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
