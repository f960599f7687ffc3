package editions

import (
	"context"
	"fmt"
	"time"

	"newsdigest/internal/domain"
)

// Outcomes are written as they come, a few at a time, by one recorder per
// batch: a worker that dies leaves few messages sent but unrecorded (the
// only ones that can go out twice), and a database that falters for a
// moment loses none.

// recordEvery is how many outcomes a record writes at most, unless the
// senders pause (flushEvery) or the database is slow to answer. Each write
// is a transaction that holds the edition's row for its progress counts:
// written 16 at a time, the records of 100,000 messages cost PostgreSQL a
// fifth more of its work in the send than 48 at a time, and waited five
// times as long for that row. A worker killed mid-batch re-sends the
// outcomes not yet written (and those in flight): as many as recordEvery
// while the writes keep up, and never more than maxUnrecorded and the
// senders' queue (recordQueue) together, however slow they get.
const recordEvery = 48

// flushEvery is how long an outcome waits for its record when the senders
// send too slowly to fill one.
const flushEvery = 50 * time.Millisecond

// record writes outcomes as they arrive, recordEvery at a time or when the
// senders pause, and extends the lease of the batch while it runs. It
// reports whether any delivery was put back to retry.
//
// The records are written even if the task's context ended: the messages
// went out, and their record must not be lost. A write that fails (the
// database away for a moment) is tried again with the outcomes that came
// since, while the leases of every unrecorded delivery are kept: a message
// whose record is lost would be sent again by whoever claims it next. While
// writes fail, at most maxUnrecorded outcomes are held and the senders
// wait for room, so a worker that dies then leaves few messages unrecorded.
// Once the task's context ends the senders stop (they wait no longer), and
// the recorder takes what they have and tries to write it for RecordFor.
func (s *Sender) record(ctx context.Context, watch *editionWatch, claims []domain.ClaimedDelivery, results <-chan domain.DeliveryOutcome) (retry bool, err error) {
	wctx := context.WithoutCancel(ctx)
	ended := ctx.Done() // nil once seen, so the select does not spin on it
	open := make(map[int64]bool, len(claims))
	for _, c := range claims {
		open[c.ID] = true
	}
	renew := time.NewTicker(s.lease() / 3)
	defer renew.Stop()
	flush := time.NewTicker(flushEvery)
	defer flush.Stop()
	w := outcomeWriter{s: s, ctx: wctx, watch: watch}
	var giveUp time.Time // once results are closed: when to stop trying to write
	in := results
	for {
		if in == nil {
			// Every outcome is in: write what is left, trying again for a
			// while if the database does not answer.
			w.flush()
			if len(w.pending) == 0 {
				return retry, nil
			}
			if giveUp.IsZero() {
				giveUp = time.Now().Add(s.recordFor())
			}
			if time.Now().After(giveUp) {
				return retry, fmt.Errorf("record %d delivery outcomes: %w", len(w.pending), w.failing)
			}
		}
		accept := in
		if len(w.pending) >= maxUnrecorded && ctx.Err() == nil {
			accept = nil // no room: the senders wait until a write succeeds
		}
		select {
		case <-ended:
			ended = nil // from now on every outcome is taken: the senders are stopping
		case o, ok := <-accept:
			if !ok {
				in = nil
				continue
			}
			if o.Status == domain.DeliveryPending && o.Error != notSentPaused {
				retry = true
			}
			if s.Observe != nil {
				s.Observe(string(o.Status))
			}
			w.pending = append(w.pending, o)
			if len(w.pending) >= recordEvery {
				w.flush()
			}
		case <-flush.C:
			w.flush()
		case <-renew.C:
			ids := make([]int64, 0, len(open))
			for id := range open {
				if !w.written[id] {
					ids = append(ids, id)
				}
			}
			lctx, cancel := context.WithTimeout(wctx, writeTimeout)
			if err := s.Store.ExtendLease(lctx, ids, s.lease()); err != nil {
				s.Log.Warn("extend lease", "err", err)
			}
			cancel()
		}
	}
}

// Bounds on outcomes that cannot be written: how many a batch holds before
// its senders wait (they may have recordQueue more queued for the
// recorder), how long one write may take (a database that does not answer
// at all must not hold the batch for ever), and how long a batch keeps
// trying once it is sent (DefaultRecordFor, within the worker's shutdown
// time).
const (
	maxUnrecorded    = 64
	recordQueue      = 32
	writeTimeout     = 10 * time.Second
	DefaultRecordFor = 30 * time.Second
)

func (s *Sender) recordFor() time.Duration {
	if s.RecordFor > 0 {
		return s.RecordFor
	}
	return DefaultRecordFor
}

// outcomeWriter holds the outcomes not yet written and writes them, backing
// off while writes fail.
type outcomeWriter struct {
	s       *Sender
	ctx     context.Context
	watch   *editionWatch // told at once when this batch's refusals pause the edition
	pending []domain.DeliveryOutcome
	written map[int64]bool // recorded: no lease to keep
	failing error          // the last failed write; nil once one succeeds
	retryAt time.Time
	backoff time.Duration
}

// flush writes the pending outcomes, unless a failed write asks it to wait.
func (w *outcomeWriter) flush() {
	if len(w.pending) == 0 || time.Now().Before(w.retryAt) {
		return
	}
	ctx, cancel := context.WithTimeout(w.ctx, writeTimeout)
	defer cancel()
	if err := w.s.Store.RecordOutcomes(ctx, w.pending, w.s.BounceLimit); err != nil {
		if w.failing == nil {
			w.s.Log.Warn("record delivery outcomes; trying again", "outcomes", len(w.pending), "err", err)
		}
		w.failing = err
		w.backoff = min(max(2*w.backoff, 50*time.Millisecond), 2*time.Second)
		w.retryAt = time.Now().Add(w.backoff)
		return
	}
	if w.written == nil {
		w.written = make(map[int64]bool)
	}
	for _, o := range w.pending {
		w.written[o.ID] = true
	}
	refused := false
	for _, o := range w.pending {
		refused = refused || o.Failure == domain.FailurePermanent
	}
	w.pending = w.pending[:0]
	w.failing, w.backoff, w.retryAt = nil, 0, time.Time{}
	if refused {
		// Refusals at the send are bounces too: enough of them pause the
		// edition before the providers stop taking its mail.
		if w.s.pauser.check(w.ctx, w.watch.data().id, false) {
			w.watch.pausedFlag.Store(true)
		}
	}
}
