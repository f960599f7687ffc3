package editions

import (
	"cmp"
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
// minutes, and a story an editor hid or corrected must leave or change
// in the digests still to go, and a reader who unsubscribes or complains
// must get none of them, within moments rather than when the batch ends.
// An edition that stops (cancelled, paused, failed) is seen sooner: it
// says so as it happens (FollowHalts), and the batch looks at once.
const watchEvery = time.Second

// StoriesChanged is what the log says when a batch in progress finds that
// an editor hid or corrected one of the edition's stories.
const StoriesChanged = "the edition's stories changed: the digests still to go are made again"

// editionWatch tells a batch's senders what became of the edition while
// they send: cancelled (the claims not yet sent are skipped), or its
// stories changed (the digests still to go are made again from them);
// and which of the batch's deliveries are not to be sent after all: their
// reader left meanwhile (unsubscribed, complained, bounced or erased), or
// a report came back about a copy an earlier worker sent and died before
// recording (it is sent already).
type editionWatch struct {
	cancelledFlag atomic.Bool
	failedFlag    atomic.Bool
	pausedFlag    atomic.Bool
	current       atomic.Pointer[editionData]
	gone          atomic.Pointer[map[int64]bool] // deliveries not to send after all
	poke          chan struct{}                  // look now: the edition stopped
	done          chan struct{}
	wg            sync.WaitGroup
}

// watch looks at the edition, and at the readers of claims (those active
// when claimed), every watchEvery (Sender.WatchEvery) and whenever the
// edition says it stopped, until unwatch.
func (s *Sender) watch(ctx context.Context, ed *editionData, claims []domain.ClaimedDelivery) *editionWatch {
	w := &editionWatch{done: make(chan struct{}), poke: make(chan struct{}, 1)}
	w.current.Store(ed)
	// Told of a stop from now on; one that came between the claim and
	// now was told to no one, so the first look is at once.
	s.halts.add(ed.id, w)
	w.wake()
	var ids []int64
	for _, c := range claims {
		if c.Active {
			ids = append(ids, c.ID)
		}
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(cmp.Or(s.WatchEvery, watchEvery))
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			case <-w.poke:
			}
			over := s.look(ctx, w, ed.id, ids)
			if s.OnWatch != nil {
				s.OnWatch()
			}
			if over {
				return
			}
		}
	}()
	return w
}

// look is one look of a batch's watch; over is true once the edition
// stopped (cancelled, failed or paused): nothing more will change.
func (s *Sender) look(ctx context.Context, w *editionWatch, id int64, ids []int64) (over bool) {
	st, err := s.Store.EditionSnapshot(ctx, id)
	if err != nil {
		s.Log.Warn("look at the edition being sent", "edition", id, "err", err)
		return false
	}
	switch {
	case st.Cancelled:
		w.cancelledFlag.Store(true)
		return true
	case st.Failed:
		w.failedFlag.Store(true)
		return true
	case st.Paused:
		w.pausedFlag.Store(true)
		return true
	}
	if st.Stories != w.data().stories {
		fresh, err := s.editionAt(ctx, id, st.Stories)
		if err != nil {
			s.Log.Warn("reload the edition's stories", "edition", id, "err", err)
		} else {
			w.current.Store(fresh)
			s.Log.Info(StoriesChanged, "edition", id)
		}
	}
	if len(ids) > 0 {
		skip, err := s.Store.DeliveriesNotToSend(ctx, ids)
		if err != nil {
			s.Log.Warn("look for deliveries not to send after all", "edition", id, "err", err)
			return false
		}
		gone := make(map[int64]bool, len(skip))
		for _, d := range skip {
			gone[d] = true
		}
		w.gone.Store(&gone)
	}
	return false
}

func (w *editionWatch) cancelled() bool { return w != nil && w.cancelledFlag.Load() }

// notToSend reports whether delivery id is not to be sent after all: its
// reader left since the batch claimed it, or it was sent already.
func (w *editionWatch) notToSend(id int64) bool {
	if w == nil {
		return false
	}
	gone := w.gone.Load()
	return gone != nil && (*gone)[id]
}

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

// halt says whether delivery id is not to be sent after all, and its
// outcome then: the edition stopped (skipped), paused (put back,
// untried), or the delivery's reader left (skipped).
func (w *editionWatch) halt(id int64) (domain.DeliveryOutcome, bool) {
	if why := w.stopped(); why != "" {
		return domain.DeliveryOutcome{ID: id, Status: domain.DeliverySkipped, Reason: why}, true
	}
	if w.paused() {
		return pausedOutcome(id), true
	}
	if w.notToSend(id) {
		return leftOutcome(id), true
	}
	return domain.DeliveryOutcome{}, false
}

// paused reports whether the edition paused itself: what is still to go
// is put back, untried.
func (w *editionWatch) paused() bool { return w != nil && w.pausedFlag.Load() }

// data is the edition as the digests still to go are made from it.
func (w *editionWatch) data() *editionData { return w.current.Load() }

// unwatch ends w, the watch of a batch that ended.
func (s *Sender) unwatch(w *editionWatch) {
	s.halts.remove(w.data().id, w)
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
