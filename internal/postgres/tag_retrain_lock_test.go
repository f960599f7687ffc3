package postgres_test

import (
	"context"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// advisoryLocks counts the advisory locks taken or waited for in this
// test's database (pg_locks shows every database's).
const advisoryLocks = `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
	AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`

// TestOneRetrainingAtATime: a retraining that starts while another runs
// (two workers, or a follow-up and a correction's) waits for it, and is
// then given a start after the first one's end, so that it learns from
// everything saved meanwhile.
func TestOneRetrainingAtATime(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	inFirst, releaseFirst := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- db.OneRetraining(ctx, func(time.Time) error {
			close(inFirst)
			<-releaseFirst
			return nil
		})
	}()
	<-inFirst

	inSecond := make(chan time.Time, 1)
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- db.OneRetraining(ctx, func(start time.Time) error {
			inSecond <- start
			return nil
		})
	}()
	// The second waits on the lock: PostgreSQL shows it waiting.
	for {
		var waiting int
		if err := db.Pool().QueryRow(ctx, advisoryLocks+` AND NOT granted`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 1 {
			break
		}
		select {
		case <-inSecond:
			t.Fatal("a second retraining ran while the first did")
		case <-ctx.Done():
			t.Fatal("the second retraining never came to wait for the lock")
		case <-time.After(10 * time.Millisecond):
		}
	}
	var firstEnd time.Time
	if err := db.Pool().QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&firstEnd); err != nil {
		t.Fatal(err)
	}
	close(releaseFirst)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	select {
	case start := <-inSecond:
		if start.Before(firstEnd) {
			t.Errorf("the second retraining starts at %v, before the first ended (%v)", start, firstEnd)
		}
	case <-ctx.Done():
		t.Fatal("the second retraining never ran")
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}
	// Nothing is left held by a connection back in the pool.
	var held int
	if err := db.Pool().QueryRow(ctx, advisoryLocks).Scan(&held); err != nil || held != 0 {
		t.Errorf("%d advisory locks left (%v), want none", held, err)
	}
}
