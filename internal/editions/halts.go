package editions

import (
	"context"
	"sync"
	"time"
)

// FollowHalts listens, until ctx ends, for editions that stop (an
// editor's cancel, a pause for too many bounces, a failed compile) and
// makes each batch of this process sending one look at it at once, so
// that it hands the relay nothing more than what it was handing over
// then. A lost connection is listened on again, at most every 30 s; the
// batches look every second meanwhile, and once more when listening
// starts again, for a stop they were not told of. The worker runs it.
func (s *Service) FollowHalts(ctx context.Context) {
	if s.sender != nil {
		s.sender.FollowHalts(ctx)
	}
}

// FollowHalts is Service.FollowHalts for this sender.
func (s *Sender) FollowHalts(ctx context.Context) {
	const first, most = time.Second, 30 * time.Second
	wait := first
	for {
		err := s.Store.ListenEditionHalts(ctx, func() {
			wait = first
			s.halts.pokeAll()
		}, s.halts.poke)
		if ctx.Err() != nil {
			return
		}
		s.Log.Warn("listen for editions that stop; batches look at theirs every second meanwhile", "err", err, "again_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, most)
	}
}

// haltWatches are the watches of the batches in progress, by edition.
type haltWatches struct {
	mu sync.Mutex
	by map[int64]map[*editionWatch]struct{}
}

func (h *haltWatches) add(id int64, w *editionWatch) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.by == nil {
		h.by = map[int64]map[*editionWatch]struct{}{}
	}
	if h.by[id] == nil {
		h.by[id] = map[*editionWatch]struct{}{}
	}
	h.by[id][w] = struct{}{}
}

func (h *haltWatches) remove(id int64, w *editionWatch) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.by[id], w)
	if len(h.by[id]) == 0 {
		delete(h.by, id)
	}
}

// poke makes the watches of edition id look now.
func (h *haltWatches) poke(id int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for w := range h.by[id] {
		w.wake()
	}
}

// pokeAll makes every watch look now.
func (h *haltWatches) pokeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ws := range h.by {
		for w := range ws {
			w.wake()
		}
	}
}

// wake asks w to look now, unless it is asked already.
func (w *editionWatch) wake() {
	select {
	case w.poke <- struct{}{}:
	default:
	}
}
