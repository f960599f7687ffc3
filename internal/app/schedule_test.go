package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestTwoSchedulersMakeOneEditionPerTick runs two workers whose schedules
// tick every second: each tick must give one edition, and the windows of
// consecutive editions must meet with no gap and no overlap.
func TestTwoSchedulersMakeOneEditionPerTick(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for range 2 {
		opts := testWorkerOptions()
		opts.DisableScheduling = false
		opts.Schedule = cron.Every(time.Second)
		s.startWorker(opts)
	}
	type window struct {
		IngestedAfter time.Time `json:"ingested_after"`
		IngestedUntil time.Time `json:"ingested_until"`
	}
	type scheduled struct {
		ID           int64     `json:"id"`
		Status       string    `json:"status"`
		ScheduledFor time.Time `json:"scheduled_for"`
		Window       window    `json:"window"`
	}
	var list struct{ Editions []scheduled }
	// A net for schedulers that never tick, not a measure of speed: two
	// workers start first, slowly under the race detector on a busy machine.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		s.jsonCall("GET", "/api/v1/editions", nil, &list, http.StatusOK)
		if len(list.Editions) >= 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d scheduled editions after 2 minutes", len(list.Editions))
		}
		time.Sleep(100 * time.Millisecond)
	}
	seen := map[time.Time]int64{}
	for _, e := range list.Editions {
		if e.ScheduledFor.IsZero() {
			t.Errorf("edition %d has no scheduled_for", e.ID)
		}
		if other, dup := seen[e.ScheduledFor]; dup {
			t.Errorf("editions %d and %d were both made for tick %s", other, e.ID, e.ScheduledFor)
		}
		seen[e.ScheduledFor] = e.ID
	}
	// Newest first: each edition starts where the one before it ended.
	for i := 0; i+1 < len(list.Editions); i++ {
		newer, older := list.Editions[i], list.Editions[i+1]
		if !newer.Window.IngestedAfter.Equal(older.Window.IngestedUntil) {
			t.Errorf("edition %d starts at %s, but edition %d ended at %s",
				newer.ID, newer.Window.IngestedAfter, older.ID, older.Window.IngestedUntil)
		}
	}
}
