package digest

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// ReasonLeft is why a delivery is skipped when its subscriber is no
// longer active by the time it is sent.
const ReasonLeft = "left"

// cancelCheckEvery is how often a batch in progress asks whether an
// editor cancelled its edition: a batch holds up to BatchSize claims,
// which at a slow SEND_RATE take minutes, and a cancel must stop them
// within moments rather than when the batch ends.
const cancelCheckEvery = time.Second

// cancelWatch tells a batch's senders that the edition was cancelled, so
// the claims they have not yet sent are skipped rather than sent.
type cancelWatch struct {
	flag atomic.Bool
	done chan struct{}
	wg   sync.WaitGroup
}

func (s *Sender) watchCancel(ctx context.Context, editionID int64) *cancelWatch {
	w := &cancelWatch{done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(cancelCheckEvery)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				cancelled, err := s.DB.EditionCancelled(ctx, editionID)
				if err != nil {
					s.Log.Warn("check whether the edition was cancelled", "edition", editionID, "err", err)
					continue
				}
				if cancelled {
					w.flag.Store(true)
					return
				}
			}
		}
	}()
	return w
}

func (w *cancelWatch) cancelled() bool { return w != nil && w.flag.Load() }

func (w *cancelWatch) stop() {
	close(w.done)
	w.wg.Wait()
}
