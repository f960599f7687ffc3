package editions

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// The compile in two stages: readPages reads and matches pages of
// readers on one goroutine (the matching on every core, compile_match.go)
// while pageWriter stores each page's new digests on another, so the
// database writes one page while the next is read and matched. Then
// pageWriter writes the deliveries, in the order of their digests.

// Content indexes of a row that has no digest.
const (
	nothingMatched = -1
	pausedReader   = -2
	waitingThin    = -3 // a slot's digest below the desk's minimum: it waits
)

// matchedPage is one page of readers, matched: which digest each gets,
// the digests first seen on this page, and (in a slot) the readers whose
// window moves on.
type matchedPage struct {
	subscribers []int64
	contents    []int32 // index into matcher.keys, or nothingMatched, pausedReader, waitingThin
	fresh       []domain.NewDigestGroup
	freshIndex  []int32 // fresh[i] is content freshIndex[i]
	advance     []int64
}

// readPages reads the edition's readers a page at a time, matches them
// and hands the pages to out, until the list ends, the edition is
// cancelled or ctx ends.
func (c *Compiler) readPages(ctx context.Context, editionID int64, earlier domain.Earlier, m *matcher, out chan<- matchedPage) error {
	var after int64
	for {
		// An editor may cancel while a long list compiles: stop writing.
		if cancelled, err := c.Store.EditionCancelled(ctx, editionID); err != nil || cancelled {
			return err
		}
		page, err := m.aud.page(ctx, after, earlier.Editions, m.at)
		if err != nil || len(page) == 0 {
			return err
		}
		p, err := m.match(page)
		if err != nil {
			return err
		}
		select {
		case out <- p:
		case <-ctx.Done():
			return ctx.Err()
		}
		after = page[len(page)-1].ID
	}
}

// pageWriter stores the compile's output: each matched page's new digests
// as it comes, and, once every reader is matched, the deliveries in the
// order of their digests across the whole list, queueing each full send
// batch as soon as it is written.
//
// Written page by page instead, a digest's readers would be numbered
// apart on every page they are on, and a sender would render it again
// for each (a batch's digests are kept only while the batches near it
// need them): at 100,000 readers, 69,000 renders for 38,660 digests.
// Numbered across the list, each digest's readers are one run of ids.
type pageWriter struct {
	c         *Compiler
	editionID int64
	groupIDs  []int64 // content index → stored group id
	// early: queue batches while compiling. Off when the edition had
	// deliveries before this run (a compile run again after a crash):
	// the batches then depend on rows this run did not write, and
	// EnqueueBatches queues them all at the end.
	early   bool
	readers []matchedReader // every reader matched, in the order read
	advance []int64         // slot readers whose window moves on once written
	pending []int64         // ids of written deliveries with a digest, not yet in a queued batch
	queued  int
}

// matchedReader is a reader and what they get: a content index, or
// nothingMatched, pausedReader, waitingThin.
type matchedReader struct {
	subscriber int64
	content    int32
}

// add stores a page's new digests and keeps its readers for
// writeDeliveries.
func (w *pageWriter) add(ctx context.Context, p matchedPage) error {
	if len(p.fresh) > 0 {
		ids, err := w.c.Store.SaveGroups(ctx, w.editionID, p.fresh)
		if err != nil {
			return err
		}
		for i, g := range p.fresh {
			if c := int(p.freshIndex[i]); c >= len(w.groupIDs) {
				w.groupIDs = append(w.groupIDs, make([]int64, c+1-len(w.groupIDs))...)
			}
			w.groupIDs[p.freshIndex[i]] = ids[g.Key]
		}
	}
	for i, id := range p.subscribers {
		w.readers = append(w.readers, matchedReader{subscriber: id, content: p.contents[i]})
	}
	w.advance = append(w.advance, p.advance...)
	return nil
}

// groupOf is the stored group of a reader's digest, 0 for none.
func (w *pageWriter) groupOf(r matchedReader) int64 {
	if r.content < 0 {
		return 0
	}
	return w.groupIDs[r.content]
}

// writeDeliveries writes every reader's delivery, a page at a time, in
// the order of their digests (those without one first), then moves the
// windows of the slot's readers on.
func (w *pageWriter) writeDeliveries(ctx context.Context) error {
	slices.SortFunc(w.readers, func(a, b matchedReader) int {
		return cmp.Or(cmp.Compare(w.groupOf(a), w.groupOf(b)), cmp.Compare(a.subscriber, b.subscriber))
	})
	for start := 0; start < len(w.readers); start += compilePage {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.writePage(ctx, w.readers[start:min(start+compilePage, len(w.readers))]); err != nil {
			return err
		}
	}
	for start := 0; start < len(w.advance); start += compilePage {
		if err := w.c.Store.AdvanceWindows(ctx, w.editionID, w.advance[start:min(start+compilePage, len(w.advance))]); err != nil {
			return err
		}
	}
	return nil
}

func (w *pageWriter) writePage(ctx context.Context, page []matchedReader) error {
	rows := make([]domain.NewDelivery, len(page))
	for i, r := range page {
		switch r.content {
		case pausedReader:
			rows[i] = domain.NewDelivery{SubscriberID: r.subscriber, SkipReason: SkipPaused}
		case nothingMatched:
			rows[i] = domain.NewDelivery{SubscriberID: r.subscriber}
		case waitingThin:
			rows[i] = domain.NewDelivery{SubscriberID: r.subscriber, SkipReason: SkipThin}
		default:
			rows[i] = domain.NewDelivery{SubscriberID: r.subscriber, GroupID: w.groupOf(r)}
		}
	}
	ids, err := w.c.Store.InsertDeliveries(ctx, w.editionID, rows)
	if err != nil {
		return err
	}
	if ids == nil && slices.ContainsFunc(rows, func(r domain.NewDelivery) bool { return r.GroupID != 0 }) {
		w.early = false // rows were there already: which ids are whose is not known here
	}
	if !w.early {
		return nil
	}
	// Batches split the edition's deliveries with a digest, in id order,
	// BatchSize at a time, as SendBatches does: a full batch here is the
	// very batch (and task id) EnqueueBatches finds at the end, which then
	// refuses it as a duplicate.
	w.pending = append(w.pending, ids...)
	for len(w.pending) >= BatchSize {
		t := tasks.NewSendBatch(w.editionID, w.pending[0], w.pending[BatchSize-1])
		if _, err := w.c.Queue.EnqueueContext(ctx, t); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
		w.queued++
		w.pending = w.pending[BatchSize:]
	}
	return nil
}

// groupKey identifies subscribers who get the same digest: the same filter
// and the same earlier digests of this edition's stories.
func groupKey(r domain.Recipient) string {
	key := r.Filter.Signature()
	if len(r.Received) == 0 {
		return key
	}
	parts := make([]string, len(r.Received))
	for i, id := range r.Received {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return key + "/" + strings.Join(parts, ",")
}
