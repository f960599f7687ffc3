package postgres_test

import (
	"context"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// TestListenEditionHaltsThroughQuietSpells: the listener for editions
// that stop checks its connection after each quiet spell, and goes on
// hearing on it: a cancel after such a check is heard by the same call,
// on the same connection, not after a reconnect.
func TestListenEditionHaltsThroughQuietSpells(t *testing.T) {
	*postgres.HaltQuietSpell = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := testenv.Database(t)
	e, _, err := db.CreateEdition(ctx, domain.NewEdition{})
	if err != nil {
		t.Fatal(err)
	}
	heard := make(chan int64, 4)
	listening := make(chan struct{})
	ended := make(chan error, 1)
	go func() {
		ended <- db.ListenEditionHalts(ctx, func() { close(listening) }, func(id int64) { heard <- id })
	}()
	<-listening
	// Each check is a ping on the listening connection (pgx's, "-- ping"):
	// wait for it to have checked, so that the cancel comes after a quiet
	// spell.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var pinged bool
		if err := db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND query = '-- ping')`).Scan(&pinged); err != nil {
			t.Fatal(err)
		}
		if pinged {
			break
		}
		select {
		case err := <-ended:
			t.Fatalf("the listener ended during a quiet spell: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the listener never checked its connection")
		}
	}
	if _, err := db.CancelEdition(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-heard:
		if id != e.ID {
			t.Errorf("heard edition %d stop, want %d", id, e.ID)
		}
	case err := <-ended:
		t.Fatalf("the listener ended instead: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the cancel was not heard")
	}
	cancel()
	if err := <-ended; err == nil {
		t.Error("the listener ended with no error when its context did")
	}
}
