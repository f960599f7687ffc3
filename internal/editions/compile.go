package editions

import (
	"context"
	"fmt"
	"log/slog"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// Sizes of the compile's pages and of a send batch.
const (
	compilePage = 5000
	BatchSize   = 200
)

// SkipPaused is the reason of a delivery skipped because the subscriber
// had paused their digests past the edition's time.
const SkipPaused = "paused"

// Enqueuer puts tasks on the queue (an *asynq.Client).
type Enqueuer = tasks.Enqueuer

// Compiler turns an edition into one delivery per active subscriber and
// queues the send batches.
type Compiler struct {
	Store    CompileStore
	Queue    Enqueuer
	Taxonomy Taxonomies
	Log      *slog.Logger
}

// Compile groups an edition's readers by what they receive, writes their
// deliveries and queues sending: the desk's readers for an edition of
// the desk's, the slot's for a slot (audienceOf). It may run again after
// a crash: the rows it wrote are kept and the rest are added.
func (c *Compiler) Compile(ctx context.Context, editionID int64) error {
	moved, err := c.Store.MoveEdition(ctx, editionID, domain.EditionCompile)
	if err != nil {
		return err
	}
	ed, err := c.Store.Edition(ctx, editionID)
	if err != nil {
		return err
	}
	if !moved {
		// Compiled already, failed, or cancelled: a cancelled one may be
		// left with deliveries to settle (its compile stopped by a crash).
		return c.settle(ctx, ed, ed.Cancelled())
	}
	aud, err := c.audienceOf(ctx, ed)
	if err != nil {
		return err
	}
	tax, err := c.Taxonomy.Taxonomy(ctx)
	if err != nil {
		return err
	}
	regions := digest.RegionsOf(tax)
	items, err := c.Store.EditionItems(ctx, editionID)
	if err != nil {
		return err
	}
	// A compile spares each reader the stories that digests written
	// already gave them: two compiling at once would each miss the
	// other's, so compiles take turns from reading what went out to
	// writing their last delivery.
	var w *pageWriter
	if err := c.Store.CompileAlone(ctx, func() (err error) {
		w, err = c.writeDigests(ctx, ed, aud, items, regions)
		return err
	}); err != nil {
		return err
	}
	total, err := c.Store.SetEditionTotal(ctx, editionID)
	if err != nil {
		return err
	}
	moved, err = c.Store.MoveEdition(ctx, editionID, domain.EditionCompiled)
	if err != nil {
		return err
	}
	if !moved {
		// Cancelled while compiling: nothing more is sent (the batches
		// queued meanwhile claim nothing of a cancelled edition).
		c.Log.Info("edition cancelled while compiling", "edition", editionID, "slot", aud.slot, "deliveries", total)
		return c.settle(ctx, ed, true)
	}
	n, err := EnqueueBatches(ctx, c.Store, c.Queue, nil, editionID)
	if err != nil {
		return err
	}
	if _, err := c.Store.FinishEditionIfComplete(ctx, editionID); err != nil {
		return err
	}
	c.Log.Info("edition compiled", "edition", editionID, "slot", aud.slot, "items", len(items), "deliveries", total,
		"groups", len(w.groupIDs), "batches", n+w.queued, "queued_while_compiling", w.queued)
	return nil
}

// writeDigests matches the edition's readers with its stories, less
// those each reader had in earlier digests, and writes their digests
// and deliveries, queuing send batches as they fill.
func (c *Compiler) writeDigests(ctx context.Context, ed domain.Edition, aud audience, items []domain.Item, regions digest.RegionMembers) (*pageWriter, error) {
	// A story an earlier digest held, in any language, is not sent to
	// that digest's readers again.
	earlier, err := c.Store.EarlierStories(ctx, ed.ID)
	if err != nil {
		return nil, err
	}

	// Reading and matching a page (this goroutine's CPU, and a database
	// connection) overlap with writing the digests of the one before
	// (another connection): the compile keeps both cores busy. Then the
	// deliveries are written in the order of their digests (pageWriter),
	// and full send batches are queued as soon as they are written, so
	// sending starts while the rest of the deliveries are written.
	written, err := c.Store.DeliveriesWritten(ctx, ed.ID)
	if err != nil {
		return nil, err
	}
	m := newMatcher(ed.Time(), aud, items, regions, earlier)
	w := &pageWriter{c: c, editionID: ed.ID, early: !written}
	pages := make(chan matchedPage, 1)
	readErr := make(chan error, 1)
	rctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	go func() {
		defer close(pages)
		readErr <- c.readPages(rctx, ed.ID, earlier, m, pages)
	}()
	var writeErr error
	for p := range pages {
		if writeErr == nil {
			if writeErr = w.add(ctx, p); writeErr != nil {
				stopReading()
			}
		}
	}
	if err := <-readErr; writeErr == nil && err != nil && ctx.Err() == nil {
		writeErr = err
	}
	if writeErr != nil {
		return nil, writeErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := w.writeDeliveries(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// settle settles the deliveries of an edition that sends nothing more;
// the readers of a cancelled slot who were sent nothing get their window
// back, so that their stories go in their next digest.
func (c *Compiler) settle(ctx context.Context, ed domain.Edition, cancelled bool) error {
	if cancelled && ed.SlotAt != nil {
		if err := c.Store.RestoreSlotWindows(ctx, ed.ID); err != nil {
			return err
		}
	}
	return c.Store.SettleCancelled(ctx, ed.ID)
}

// EnqueueBatches queues a send task per batch with unfinished deliveries.
// Task ids make it safe to call again: a batch still queued is not doubled.
// The reconciler passes an inspector (insp): it asks only for batches no
// worker holds, and a batch whose task used up its retries is queued anew
// rather than refused as a duplicate, so the edition still finishes.
func EnqueueBatches(ctx context.Context, db BatchStore, q Enqueuer, insp tasks.Inspector, editionID int64) (int, error) {
	batches, err := db.SendBatches(ctx, editionID, BatchSize, insp != nil)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range batches {
		t := tasks.NewSendBatch(editionID, b.First, b.Last)
		var queued bool
		if insp != nil {
			queued, err = tasks.EnqueueAgain(ctx, q, insp, t, tasks.QueueDefault, tasks.SendBatchID(editionID, b.First, b.Last))
		} else {
			_, err = q.EnqueueContext(ctx, t)
			queued = err == nil
			if tasks.IsDuplicate(err) {
				err = nil
			}
		}
		if err != nil {
			return n, fmt.Errorf("enqueue send batch: %w", err)
		}
		if queued {
			n++
		}
	}
	return n, nil
}
