package editions

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// The compile in two stages: readPages reads and matches pages of
// readers on one goroutine, pageWriter writes each page's digests and
// deliveries on another, so the database writes one page while the
// next is read and matched.

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

// matcher turns readers into digests. Two maps keep it cheap however long
// the list: one from a filter and window (with its history) to the digest
// it yields, and one from a digest's content to its index. Filters that
// differ but yield the same digest share a group, so it is rendered once.
// The keys are 16-byte hashes, so a million readers' filters take little
// memory.
type matcher struct {
	at      time.Time
	aud     audience
	regions digest.RegionMembers
	items   []domain.Item
	arrived map[int64]time.Time
	earlier domain.Earlier
	windows map[int64]map[string][]domain.Item // window start → its stories by language

	bySignature map[[16]byte]int32 // window and group key → content index, or nothingMatched
	byContent   map[string]int32   // content key → content index
	keys        []string           // content index → content key
	stories     []int32            // content index → stories in the digest
}

func newMatcher(at time.Time, aud audience, items []domain.Item, regions digest.RegionMembers, earlier domain.Earlier) *matcher {
	return &matcher{at: at, aud: aud, regions: regions, items: items, arrived: storyArrival(items), earlier: earlier,
		windows: map[int64]map[string][]domain.Item{}, bySignature: map[[16]byte]int32{}, byContent: map[string]int32{}}
}

// window is the stories of a window, by language: of a story told in
// several languages, each reader gets one version, theirs when there is
// one.
func (m *matcher) window(start time.Time) map[string][]domain.Item {
	k := start.UnixMicro()
	if w, ok := m.windows[k]; ok {
		return w
	}
	if len(m.windows) >= maxWindows {
		clear(m.windows)
	}
	w := inWindow(m.items, m.arrived, start)
	m.windows[k] = w
	return w
}

// match works out the digest of each reader of page.
func (m *matcher) match(page []domain.SlotRecipient) (matchedPage, error) {
	p := matchedPage{subscribers: make([]int64, len(page)), contents: make([]int32, len(page))}
	if m.aud.slot {
		p.advance = make([]int64, 0, len(page))
	}
	for i, r := range page {
		p.subscribers[i] = r.ID
		c, err := m.digestOf(r, &p)
		if err != nil {
			return p, err
		}
		if c >= 0 && m.aud.thin(int(m.stories[c]), r, m.at) {
			c = waitingThin // their window stays: the stories wait
		}
		p.contents[i] = c
		if m.aud.slot && c != waitingThin {
			p.advance = append(p.advance, r.ID)
		}
	}
	return p, nil
}

// digestOf is the content index of r's digest, adding it to p.fresh the
// first time it is seen.
func (m *matcher) digestOf(r domain.SlotRecipient, p *matchedPage) (int32, error) {
	if r.Paused {
		return pausedReader, nil // no digest to make: their delivery is skipped
	}
	r.Received = slices.DeleteFunc(r.Received, func(g int64) bool { return m.earlier.Groups[g] == nil })
	key := sha256.Sum256([]byte(strconv.FormatInt(r.WindowStart.UnixMicro(), 10) + "|" + groupKey(r.Recipient)))
	sig := [16]byte(key[:16])
	if c, ok := m.bySignature[sig]; ok {
		return c, nil
	}
	lang := r.Filter.Language
	mine := m.window(r.WindowStart)[lang]
	sections := digest.Match(r.Filter, mine, m.regions, received(r.Received, m.earlier.Groups))
	// Ranked once here, for the group: the cap, the size bound and
	// the web digest all take the stories in this order.
	sections = digest.RankStories(r.Filter, sections, mine, m.at, m.regions)
	c := int32(nothingMatched)
	if len(sections) > 0 {
		body, err := json.Marshal(sections)
		if err != nil {
			return 0, err
		}
		content := contentKey(lang, body)
		var ok bool
		if c, ok = m.byContent[content]; !ok {
			c = int32(len(m.keys))
			m.keys = append(m.keys, content)
			n := 0
			for _, sec := range sections {
				n += len(sec.Items)
			}
			m.stories = append(m.stories, int32(n))
			m.byContent[content] = c
			p.fresh = append(p.fresh, domain.NewDigestGroup{Key: content, Language: lang, Sections: body})
			p.freshIndex = append(p.freshIndex, c)
		}
	}
	m.bySignature[sig] = c
	return c, nil
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

// contentKey names a digest by what is in it.
func contentKey(language string, sections []byte) string {
	h := sha256.New()
	h.Write([]byte(language))
	h.Write([]byte{0})
	h.Write(sections)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// received gathers this edition's items whose story a subscriber got in
// earlier digests (groups).
func received(groups []int64, earlier map[int64][]int64) map[int64]bool {
	if len(groups) == 0 {
		return nil
	}
	out := map[int64]bool{}
	for _, g := range groups {
		for _, id := range earlier[g] {
			out[id] = true
		}
	}
	return out
}
