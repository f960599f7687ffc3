package editions

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// ReasonLeft is why a delivery is skipped when its subscriber is no
// longer active by the time it is sent.
const ReasonLeft = "left"

// watchEvery is how often a batch in progress looks at its edition: a
// batch holds up to BatchSize claims, which at a slow SEND_RATE take
// minutes, and a cancel must stop them, or a story an editor hid or
// corrected must leave or change in the digests still to go, within
// moments rather than when the batch ends.
const watchEvery = time.Second

// StoriesChanged is what the log says when a batch in progress finds that
// an editor hid or corrected one of the edition's stories.
const StoriesChanged = "the edition's stories changed: the digests still to go are made again"

// editionWatch tells a batch's senders what became of the edition while
// they send: cancelled (the claims not yet sent are skipped), or its
// stories changed (the digests still to go are made again from them).
type editionWatch struct {
	cancelledFlag atomic.Bool
	failedFlag    atomic.Bool
	pausedFlag    atomic.Bool
	current       atomic.Pointer[editionData]
	done          chan struct{}
	wg            sync.WaitGroup
}

func (s *Sender) watch(ctx context.Context, ed *editionData) *editionWatch {
	w := &editionWatch{done: make(chan struct{})}
	w.current.Store(ed)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(watchEvery)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				st, err := s.Store.EditionSnapshot(ctx, ed.id)
				if err != nil {
					s.Log.Warn("look at the edition being sent", "edition", ed.id, "err", err)
					continue
				}
				if st.Cancelled {
					w.cancelledFlag.Store(true)
					return
				}
				if st.Failed {
					w.failedFlag.Store(true)
					return
				}
				if st.Paused {
					w.pausedFlag.Store(true)
					return
				}
				if st.Stories != w.data().stories {
					fresh, err := s.editionAt(ctx, ed.id, st.Stories)
					if err != nil {
						s.Log.Warn("reload the edition's stories", "edition", ed.id, "err", err)
						continue
					}
					w.current.Store(fresh)
					s.Log.Info(StoriesChanged, "edition", ed.id)
				}
			}
		}
	}()
	return w
}

func (w *editionWatch) cancelled() bool { return w != nil && w.cancelledFlag.Load() }

// stopped says why the claims not yet sent are skipped: the edition was
// cancelled, or its compile failed for good while this batch sent ("":
// neither).
func (w *editionWatch) stopped() string {
	switch {
	case w.cancelled():
		return domain.ReasonCancelled
	case w != nil && w.failedFlag.Load():
		return domain.ReasonEditionFailed
	}
	return ""
}

// paused reports whether the edition paused itself: what is still to go
// is put back, untried.
func (w *editionWatch) paused() bool { return w != nil && w.pausedFlag.Load() }

// data is the edition as the digests still to go are made from it.
func (w *editionWatch) data() *editionData { return w.current.Load() }

func (w *editionWatch) stop() {
	close(w.done)
	w.wg.Wait()
}

// editionData is what every digest of an edition is made from, loaded
// once per edition by each worker rather than once per digest, and again
// when its stories change.
type editionData struct {
	id      int64
	at      time.Time     // the edition's time: its date in the digest
	items   []domain.Item // the edition's stories (hidden ones left out)
	tax     *taxonomy.Taxonomy
	stories string          // domain.EditionSnapshot.Stories when items were loaded
	ready   *digest.Stories // items made ready once for all the digests
}

// edition returns what an edition's digests are made from, loading it
// again if its stories changed since this worker last did.
func (s *Sender) edition(ctx context.Context, id int64) (*editionData, error) {
	st, err := s.Store.EditionSnapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.editionAt(ctx, id, st.Stories)
}

// editionAt returns the edition's data as of stories, loading it unless
// the cached copy is that one.
func (s *Sender) editionAt(ctx context.Context, id int64, stories string) (*editionData, error) {
	s.mu.Lock()
	ed := s.editions[id]
	s.mu.Unlock()
	if ed != nil && ed.stories == stories {
		return ed, nil
	}
	e, err := s.Store.Edition(ctx, id)
	if err != nil {
		return nil, err
	}
	items, err := s.Store.EditionItems(ctx, id)
	if err != nil {
		return nil, err
	}
	tax, err := s.Taxonomy.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	// Loaded after stories was read: at least as new as it says.
	ed = &editionData{id: id, at: e.Time(), items: items, tax: tax, stories: stories, ready: digest.NewStories(tax, items)}
	s.mu.Lock()
	if s.editions == nil || len(s.editions) >= 4 {
		s.editions = map[int64]*editionData{}
	}
	s.editions[id] = ed
	s.mu.Unlock()
	return ed, nil
}
