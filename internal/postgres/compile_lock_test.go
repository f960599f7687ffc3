package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestOneCompileAtATime: a compile that asks for its turn while another
// writes waits for it, holding no connection meanwhile, and gets its turn
// when the first one ends.
func TestOneCompileAtATime(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	inFirst, releaseFirst := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- db.CompileAlone(ctx, func() error {
			close(inFirst)
			<-releaseFirst
			return nil
		})
	}()
	<-inFirst

	// A compile that gives up waiting never ran, and leaves no lock and
	// no connection taken behind it.
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	err := db.CompileAlone(short, func() error {
		t.Error("a second compile ran while the first did")
		return nil
	})
	cancelShort()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a compile that waited past its deadline: %v", err)
	}
	var locks int
	if err := db.Pool().QueryRow(ctx, advisoryLocks).Scan(&locks); err != nil {
		t.Fatal(err)
	}
	if locks != 1 {
		t.Errorf("%d advisory locks while one compile runs, want its one", locks)
	}
	if n := db.Pool().Stat().AcquiredConns(); n != 1 {
		t.Errorf("%d connections taken while one compile runs and none waits, want its one", n)
	}

	inSecond := make(chan struct{})
	secondDone := make(chan error, 1)
	go func() {
		secondDone <- db.CompileAlone(ctx, func() error {
			close(inSecond)
			return nil
		})
	}()
	close(releaseFirst)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	select {
	case <-inSecond:
	case <-ctx.Done():
		t.Fatal("the waiting compile never got its turn")
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}
	if err := db.Pool().QueryRow(ctx, advisoryLocks).Scan(&locks); err != nil {
		t.Fatal(err)
	}
	if locks != 0 {
		t.Errorf("%d advisory locks after both compiles, want none", locks)
	}
}
