package editions

import (
	"context"
	"time"

	"newsdigest/internal/domain"
)

// SkipThin is the reason of a slot's delivery held back because the
// reader's digest had fewer stories than the desk's minimum: its stories
// wait for their next slot (their window is not moved on).
const SkipThin = "thin: waiting for more stories"

// maxWindows bounds the windows whose stories a compile keeps sorted by
// language; readers of one slot share a few (those of their last slots).
const maxWindows = 64

// audience is whom an edition is for; the compile is otherwise one for
// the desk's editions and for slots. The desk's edition goes to the
// active readers who follow DIGEST_CRON, each getting all its stories.
// A slot goes to the readers it froze, each getting the stories first
// ingested since their own last digest, less what earlier digests gave
// them; below the desk's minimum (and short of its wait limit) none,
// unless they asked for whatever there is. The windows of the readers
// given a digest, or with nothing to get, move on to the slot's cut-off.
type audience struct {
	slot bool
	// page reads the readers with id > after, in id order.
	page func(ctx context.Context, after int64, earlier []int64, at time.Time) ([]domain.SlotRecipient, error)
	// A digest with fewer than minStories stories waits, for a reader
	// whose window began less than wait ago, on their calendar (thin;
	// 0: none waits).
	minStories int
	wait       time.Duration
}

// audienceOf says whom edition ed is for.
func (c *Compiler) audienceOf(ctx context.Context, ed domain.Edition) (audience, error) {
	if ed.SlotAt == nil {
		return audience{page: func(ctx context.Context, after int64, earlier []int64, at time.Time) ([]domain.SlotRecipient, error) {
			page, err := c.Store.ActiveRecipients(ctx, after, compilePage, earlier, at)
			out := make([]domain.SlotRecipient, len(page))
			for i, r := range page {
				out[i].Recipient = r // a zero window start: every story of the edition
			}
			return out, err
		}}, nil
	}
	set, err := c.Store.ScheduleSettings(ctx)
	if err != nil {
		return audience{}, err
	}
	return audience{
		slot: true,
		page: func(ctx context.Context, after int64, earlier []int64, at time.Time) ([]domain.SlotRecipient, error) {
			return c.Store.SlotRecipients(ctx, ed.ID, after, compilePage, earlier, at)
		},
		minStories: set.MinStories,
		wait:       time.Duration(set.WaitDays) * 24 * time.Hour,
	}, nil
}

// thin reports whether a digest of n stories waits for more, for reader r.
func (a audience) thin(n int, r domain.SlotRecipient, at time.Time) bool {
	return n > 0 && n < a.minStories && !r.SendThin && at.Sub(r.WindowStart) < a.wait-waitSlack
}

// waitSlack is how much short of the desk's days of waiting a window may
// be and its digest still go. A reader's digests are due on whole days of
// their calendar, but a window begins when its digest was made (minutes
// into its quarter hour, or later when the queue was slow), and days are
// an hour, or two, short where the clocks went forward: held to the
// minute, a digest due on the day the wait ends would wait a further
// period. Half a day still holds back one due before that day.
const waitSlack = 12 * time.Hour

// storyArrival maps each item to when the latest version of its story
// arrived: a translation arriving in a reader's window brings the version
// in their language, stored before it. A story an editor picked arrives,
// for readers on a schedule of their own, when it was picked.
func storyArrival(items []domain.Item) map[int64]time.Time {
	story := func(it domain.Item) int64 {
		id := it.ID
		for _, t := range it.Translations {
			id = min(id, t)
		}
		return id
	}
	latest := map[int64]time.Time{}
	for _, it := range items {
		arrived := it.IngestedAt
		if it.LastPickedAt != nil && it.LastPickedAt.After(arrived) {
			arrived = *it.LastPickedAt
		}
		if k := story(it); arrived.After(latest[k]) {
			latest[k] = arrived
		}
	}
	out := make(map[int64]time.Time, len(items))
	for _, it := range items {
		out[it.ID] = latest[story(it)]
	}
	return out
}

// inWindow is the edition's stories that arrived after a reader's window
// began (all of them for a zero start), one version of each per language.
func inWindow(items []domain.Item, arrived map[int64]time.Time, start time.Time) map[string][]domain.Item {
	var mine []domain.Item
	for _, it := range items {
		if start.IsZero() || arrived[it.ID].After(start) {
			mine = append(mine, it)
		}
	}
	out := map[string][]domain.Item{}
	for _, lang := range domain.Languages {
		out[lang] = domain.PickLanguage(mine, lang)
	}
	return out
}
