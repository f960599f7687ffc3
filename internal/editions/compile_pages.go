package editions

import (
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
)

// matchedPage is one page of readers, matched: which digest each gets,
// and the digests first seen on this page.
type matchedPage struct {
	subscribers []int64
	contents    []int32 // index into matcher.keys, or nothingMatched, pausedReader
	fresh       []domain.NewDigestGroup
	freshIndex  []int32 // fresh[i] is content freshIndex[i]
}

// matcher turns readers into digests. Two maps keep it cheap however long
// the list: one from a filter (with its history) to the digest it yields,
// and one from a digest's content to its index. Filters that differ but
// yield the same digest share a group, so it is rendered once. The keys
// are 16-byte hashes, so a million readers' filters take little memory.
type matcher struct {
	at         time.Time
	regions    digest.RegionMembers
	byLanguage map[string][]domain.Item
	earlier    domain.Earlier

	bySignature map[[16]byte]int32 // group key → content index, or nothingMatched
	byContent   map[string]int32   // content key → content index
	keys        []string           // content index → content key
}

func newMatcher(at time.Time, items []domain.Item, regions digest.RegionMembers, earlier domain.Earlier) *matcher {
	// Of a story told in several languages, each reader gets one version:
	// theirs when there is one.
	byLanguage := map[string][]domain.Item{}
	for _, lang := range domain.Languages {
		byLanguage[lang] = domain.PickLanguage(items, lang)
	}
	return &matcher{at: at, regions: regions, byLanguage: byLanguage, earlier: earlier,
		bySignature: map[[16]byte]int32{}, byContent: map[string]int32{}}
}

// match works out the digest of each reader of page.
func (m *matcher) match(page []domain.Recipient) (matchedPage, error) {
	p := matchedPage{subscribers: make([]int64, len(page)), contents: make([]int32, len(page))}
	for i, r := range page {
		p.subscribers[i] = r.ID
		if r.Paused {
			p.contents[i] = pausedReader // no digest to make: their delivery is skipped
			continue
		}
		r.Received = slices.DeleteFunc(r.Received, func(g int64) bool { return m.earlier.Groups[g] == nil })
		key := sha256.Sum256([]byte(groupKey(r)))
		sig := [16]byte(key[:16])
		if c, ok := m.bySignature[sig]; ok {
			p.contents[i] = c
			continue
		}
		lang := r.Filter.Language
		sections := digest.Match(r.Filter, m.byLanguage[lang], m.regions, received(r.Received, m.earlier.Groups))
		// Ranked once here, for the group: the cap, the size bound and
		// the web digest all take the stories in this order.
		sections = digest.RankStories(r.Filter, sections, m.byLanguage[lang], m.at, m.regions)
		c := int32(nothingMatched)
		if len(sections) > 0 {
			body, err := json.Marshal(sections)
			if err != nil {
				return p, err
			}
			content := contentKey(lang, body)
			var ok bool
			if c, ok = m.byContent[content]; !ok {
				c = int32(len(m.keys))
				m.keys = append(m.keys, content)
				m.byContent[content] = c
				p.fresh = append(p.fresh, domain.NewDigestGroup{Key: content, Language: lang, Sections: body})
				p.freshIndex = append(p.freshIndex, c)
			}
		}
		m.bySignature[sig] = c
		p.contents[i] = c
	}
	return p, nil
}

// readPages reads the active readers a page at a time, matches them and
// hands the pages to out, until the list ends, the edition is cancelled
// or ctx ends.
func (c *Compiler) readPages(ctx context.Context, editionID int64, at time.Time, earlier domain.Earlier, m *matcher, out chan<- matchedPage) error {
	var after int64
	for {
		// An editor may cancel while a long list compiles: stop writing.
		if cancelled, err := c.Store.EditionCancelled(ctx, editionID); err != nil || cancelled {
			return err
		}
		page, err := c.Store.ActiveRecipients(ctx, after, compilePage, earlier.Editions, at)
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

// pageWriter stores matched pages: their new digests, then their
// deliveries; and queues each full send batch once it is written.
type pageWriter struct {
	c         *Compiler
	editionID int64
	groupIDs  []int64 // content index → stored group id
	// early: queue batches while compiling. Off when the edition had
	// deliveries before this run (a compile run again after a crash):
	// the batches then depend on rows this run did not write, and
	// EnqueueBatches queues them all at the end.
	early   bool
	pending []int64 // ids of written deliveries with a digest, not yet in a queued batch
	queued  int
}

func (w *pageWriter) write(ctx context.Context, p matchedPage) error {
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
	rows := make([]domain.NewDelivery, len(p.subscribers))
	for i, id := range p.subscribers {
		switch c := p.contents[i]; c {
		case pausedReader:
			rows[i] = domain.NewDelivery{SubscriberID: id, SkipReason: SkipPaused}
		case nothingMatched:
			rows[i] = domain.NewDelivery{SubscriberID: id}
		default:
			rows[i] = domain.NewDelivery{SubscriberID: id, GroupID: w.groupIDs[c]}
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
