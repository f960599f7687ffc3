package editions

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

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

// Compile groups active subscribers by what they receive, writes their
// deliveries and queues sending. It may run again after a crash: the
// rows it wrote are kept and the rest are added.
func (c *Compiler) Compile(ctx context.Context, editionID int64) error {
	moved, err := c.Store.MoveEdition(ctx, editionID, domain.EditionCompile)
	if err != nil {
		return err
	}
	if !moved {
		// Compiled already, failed, or cancelled: a cancelled one may be
		// left with deliveries to settle (its compile stopped by a crash).
		return c.Store.SettleCancelled(ctx, editionID)
	}
	ed, err := c.Store.Edition(ctx, editionID)
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
	// A story an earlier digest held, in any language, is not sent to
	// that digest's readers again.
	earlier, err := c.Store.EarlierStories(ctx, editionID)
	if err != nil {
		return err
	}

	// Two maps keep the compile cheap however long the list: one from a
	// filter (with its history) to the digest it yields, and one from a
	// digest's content to its stored group. Filters that differ but yield
	// the same digest share a group, so it is rendered once.
	// Of a story told in several languages, each reader gets one version:
	// theirs when there is one.
	byLanguage := map[string][]domain.Item{}
	for _, lang := range domain.Languages {
		byLanguage[lang] = domain.PickLanguage(items, lang)
	}
	bySignature := map[string]string{} // group key → content key ("" when nothing matched)
	groups := map[string]int64{}       // content key → group id
	var after int64
	for {
		// An editor may cancel while a long list compiles: stop writing.
		if cancelled, err := c.Store.EditionCancelled(ctx, editionID); err != nil || cancelled {
			if err != nil {
				return err
			}
			break
		}
		page, err := c.Store.ActiveRecipients(ctx, after, compilePage, earlier.Editions, ed.Time())
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		var fresh []domain.NewDigestGroup
		keys := make([]string, len(page))
		for i, r := range page {
			if r.Paused {
				continue // no digest to make: their delivery is skipped below
			}
			r.Received = slices.DeleteFunc(r.Received, func(g int64) bool { return earlier.Groups[g] == nil })
			key := groupKey(r)
			keys[i] = key
			if _, ok := bySignature[key]; ok {
				continue
			}
			sections := digest.Match(r.Filter, byLanguage[r.Filter.Language], regions, received(r.Received, earlier.Groups))
			// Ranked once here, for the group: the cap, the size bound and
			// the web digest all take the stories in this order.
			sections = digest.RankStories(r.Filter, sections, byLanguage[r.Filter.Language], ed.Time(), regions)
			if len(sections) == 0 {
				bySignature[key] = ""
				continue
			}
			body, err := json.Marshal(sections)
			if err != nil {
				return err
			}
			content := contentKey(r.Filter.Language, body)
			bySignature[key] = content
			if _, ok := groups[content]; !ok {
				groups[content] = 0
				fresh = append(fresh, domain.NewDigestGroup{Key: content, Language: r.Filter.Language, Sections: body})
			}
		}
		if len(fresh) > 0 {
			ids, err := c.Store.SaveGroups(ctx, editionID, fresh)
			if err != nil {
				return err
			}
			for k, id := range ids {
				groups[k] = id
			}
		}
		rows := make([]domain.NewDelivery, len(page))
		for i, r := range page {
			if r.Paused {
				rows[i] = domain.NewDelivery{SubscriberID: r.ID, SkipReason: SkipPaused}
				continue
			}
			rows[i] = domain.NewDelivery{SubscriberID: r.ID, GroupID: groups[bySignature[keys[i]]]}
		}
		if err := c.Store.InsertDeliveries(ctx, editionID, rows); err != nil {
			return err
		}
		after = page[len(page)-1].ID
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
		// Cancelled while compiling: nothing is sent.
		c.Log.Info("edition cancelled while compiling", "edition", editionID, "deliveries", total)
		return c.Store.SettleCancelled(ctx, editionID)
	}
	n, err := EnqueueBatches(ctx, c.Store, c.Queue, nil, editionID)
	if err != nil {
		return err
	}
	if _, err := c.Store.FinishEditionIfComplete(ctx, editionID); err != nil {
		return err
	}
	c.Log.Info("edition compiled", "edition", editionID, "items", len(items), "deliveries", total,
		"groups", len(groups), "batches", n)
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
