package editions_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/postgres"
)

// TestEditionCompiledAfterANewerOneSparesItsReaders: an edition whose
// compile comes after a newer edition's (its task retried, or waiting
// behind the other) does not send again what the newer one sent.
func TestEditionCompiledAfterANewerOneSparesItsReaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-03-01"), "Echo", "CR")
	f.item(*day("2021-03-10"), "Foxtrot", "CR")
	f.subscriber("reader@example.org", "CR")

	older, _, err := f.db.CreateEdition(f.ctx, domain.NewEdition{PublishedFrom: day("2021-03-01"), PublishedTo: day("2021-03-31")})
	if err != nil {
		t.Fatal(err)
	}
	newer := f.run(domain.NewEdition{PublishedFrom: day("2021-03-05"), PublishedTo: day("2021-03-31")})
	if newer.ID <= older.ID || newer.Sent != 1 {
		t.Fatalf("newer edition = %+v (older %d)", newer, older.ID)
	}
	if err := f.compiler.Compile(f.ctx, older.ID); err != nil {
		t.Fatal(err)
	}
	f.sendQueued()
	if n := f.timesGot("reader@example.org", "Foxtrot"); n != 1 {
		t.Errorf("Foxtrot reached its reader %d times, want once", n)
	}
	if n := f.timesGot("reader@example.org", "Echo"); n != 1 {
		t.Errorf("Echo reached its reader %d times, want once (the older edition's own story)", n)
	}
}

// turns is the fixture's store, watching compiles take their turns: the
// first one to write waits, having read what went out before, until the
// second asks for its turn.
type turns struct {
	*postgres.DB
	calls      atomic.Int32
	writing    atomic.Int32
	overlapped atomic.Bool
	reading    chan struct{} // closed when the first compile has read what went out
	asked      chan struct{} // closed when the second asks for its turn
}

func (s *turns) CompileAlone(ctx context.Context, fn func() error) error {
	first := s.calls.Add(1) == 1
	if !first {
		close(s.asked)
	}
	return s.DB.CompileAlone(ctx, func() error {
		if s.writing.Add(1) > 1 {
			s.overlapped.Store(true)
		}
		defer s.writing.Add(-1)
		return fn()
	})
}

func (s *turns) EarlierStories(ctx context.Context, editionID int64) (domain.Earlier, error) {
	e, err := s.DB.EarlierStories(ctx, editionID)
	if s.calls.Load() == 1 {
		close(s.reading)
		select {
		case <-s.asked:
		case <-ctx.Done():
			return e, ctx.Err()
		}
	}
	return e, err
}

// TestOverlappingEditionsCompiledAtOnce: two editions holding the same
// stories (an editor's range and the weekly one), compiled at the same
// moment by two workers, send each reader each story once: the second
// compile waits for the first to write its digests.
func TestOverlappingEditionsCompiledAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-04-01"), "Golf", "CR")
	f.item(*day("2021-04-02"), "Hotel", "CR")
	for _, a := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		f.subscriber(a, "CR")
	}
	one, _, err := f.db.CreateEdition(f.ctx, domain.NewEdition{PublishedFrom: day("2021-04-01"), PublishedTo: day("2021-04-30")})
	if err != nil {
		t.Fatal(err)
	}
	two, _, err := f.db.CreateEdition(f.ctx, domain.NewEdition{PublishedFrom: day("2021-04-01"), PublishedTo: day("2021-04-30")})
	if err != nil {
		t.Fatal(err)
	}

	store := &turns{DB: f.db, reading: make(chan struct{}), asked: make(chan struct{})}
	c := &editions.Compiler{Store: store, Queue: f.compiler.Queue, Taxonomy: f.compiler.Taxonomy, Log: f.compiler.Log}
	ctx, cancel := context.WithTimeout(f.ctx, 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = c.Compile(ctx, one.ID) })
	select {
	case <-store.reading:
	case <-ctx.Done():
		t.Fatal("the first compile never read what went out before")
	}
	wg.Go(func() { errs[1] = c.Compile(ctx, two.ID) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if store.overlapped.Load() {
		t.Error("two compiles wrote their digests at the same time")
	}
	f.sendQueued()
	for _, a := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		for _, title := range []string{"Golf", "Hotel"} {
			if n := f.timesGot(a, title); n != 1 {
				t.Errorf("%s reached %s %d times, want once", title, a, n)
			}
		}
	}
	if e := f.edition(two.ID); e.Sent != 0 || e.Skipped != 3 {
		t.Errorf("the second edition = %+v, want nothing sent and its 3 readers skipped", e)
	}
}
