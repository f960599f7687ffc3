package editions

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
)

// SkipThin is the reason of a slot's delivery held back because the
// reader's digest had fewer stories than the desk's minimum: its stories
// wait for their next slot (their window is not moved on).
const SkipThin = "thin: waiting for more stories"

// maxWindows bounds the windows whose stories a compile keeps sorted by
// language; readers of one slot share a few (those of their last slots).
const maxWindows = 64

// compileSlot is Compile for a slot: each reader gets the stories of the
// slot first ingested since their own last digest, less what earlier
// digests gave them; below the desk's minimum (and short of its wait
// limit) none, unless they asked for whatever there is. The windows of
// the readers given a digest, or with nothing to get, move on to the
// slot's cut-off.
func (s *Service) compileSlot(ctx context.Context, ed domain.Edition) error {
	st := s.store
	moved, err := st.MoveEdition(ctx, ed.ID, domain.EditionCompile)
	if err != nil {
		return err
	}
	if !moved {
		if ed.Cancelled() {
			if err := st.RestoreSlotWindows(ctx, ed.ID); err != nil {
				return err
			}
		}
		return st.SettleCancelled(ctx, ed.ID)
	}
	set, err := st.ScheduleSettings(ctx)
	if err != nil {
		return err
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return err
	}
	regions := digest.RegionsOf(tax)
	items, err := st.EditionItems(ctx, ed.ID)
	if err != nil {
		return err
	}
	earlier, err := st.EarlierStories(ctx, ed.ID)
	if err != nil {
		return err
	}
	at := ed.Time()
	wait := time.Duration(set.WaitDays) * 24 * time.Hour
	arrived := storyArrival(items)
	windows := map[int64]map[string][]domain.Item{} // window start → stories by language
	byKey := map[string]string{}                    // reader key → content key ("" when nothing)
	stories := map[string]int{}                     // reader key → stories in the digest
	groups := map[string]int64{}
	var after int64
	for {
		if cancelled, err := st.EditionCancelled(ctx, ed.ID); err != nil || cancelled {
			if err != nil {
				return err
			}
			break
		}
		page, err := st.SlotRecipients(ctx, ed.ID, after, compilePage, earlier.Editions, at)
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
				continue
			}
			ws := r.WindowStart.UnixMicro()
			byLanguage, ok := windows[ws]
			if !ok {
				if len(windows) >= maxWindows {
					clear(windows)
				}
				byLanguage = inWindow(items, arrived, r.WindowStart)
				windows[ws] = byLanguage
			}
			r.Received = slices.DeleteFunc(r.Received, func(g int64) bool { return earlier.Groups[g] == nil })
			key := strconv.FormatInt(ws, 10) + "|" + groupKey(r.Recipient)
			keys[i] = key
			if _, ok := byKey[key]; ok {
				continue
			}
			sections := digest.Match(r.Filter, byLanguage[r.Filter.Language], regions, received(r.Received, earlier.Groups))
			sections = digest.RankStories(r.Filter, sections, byLanguage[r.Filter.Language], at, regions)
			byKey[key] = ""
			if len(sections) == 0 {
				continue
			}
			for _, sec := range sections {
				stories[key] += len(sec.Items)
			}
			body, err := json.Marshal(sections)
			if err != nil {
				return err
			}
			content := contentKey(r.Filter.Language, body)
			byKey[key] = content
			if _, ok := groups[content]; !ok {
				groups[content] = 0
				fresh = append(fresh, domain.NewDigestGroup{Key: content, Language: r.Filter.Language, Sections: body})
			}
		}
		if len(fresh) > 0 {
			ids, err := st.SaveGroups(ctx, ed.ID, fresh)
			if err != nil {
				return err
			}
			for k, id := range ids {
				groups[k] = id
			}
		}
		rows := make([]domain.NewDelivery, len(page))
		advanced := make([]int64, 0, len(page))
		for i, r := range page {
			switch n := stories[keys[i]]; {
			case r.Paused:
				rows[i] = domain.NewDelivery{SubscriberID: r.ID, SkipReason: SkipPaused}
			case n > 0 && n < set.MinStories && !r.SendThin && at.Sub(r.WindowStart) < wait:
				rows[i] = domain.NewDelivery{SubscriberID: r.ID, SkipReason: SkipThin}
				continue // their window stays: the stories wait
			default:
				rows[i] = domain.NewDelivery{SubscriberID: r.ID, GroupID: groups[byKey[keys[i]]]}
			}
			advanced = append(advanced, r.ID)
		}
		if _, err := st.InsertDeliveries(ctx, ed.ID, rows); err != nil {
			return err
		}
		if err := st.AdvanceWindows(ctx, ed.ID, advanced); err != nil {
			return err
		}
		after = page[len(page)-1].ID
	}
	total, err := st.SetEditionTotal(ctx, ed.ID)
	if err != nil {
		return err
	}
	moved, err = st.MoveEdition(ctx, ed.ID, domain.EditionCompiled)
	if err != nil {
		return err
	}
	if !moved {
		s.log.Info("slot cancelled while compiling", "edition", ed.ID, "deliveries", total)
		if err := st.RestoreSlotWindows(ctx, ed.ID); err != nil {
			return err
		}
		return st.SettleCancelled(ctx, ed.ID)
	}
	n, err := EnqueueBatches(ctx, st, s.queue, nil, ed.ID)
	if err != nil {
		return err
	}
	if _, err := st.FinishEditionIfComplete(ctx, ed.ID); err != nil {
		return err
	}
	s.log.Info("slot compiled", "edition", ed.ID, "items", len(items), "deliveries", total, "groups", len(groups), "batches", n)
	return nil
}

// storyArrival maps each item to when the latest version of its story
// arrived: a translation arriving in a reader's window brings the version
// in their language, stored before it.
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
		if k := story(it); it.IngestedAt.After(latest[k]) {
			latest[k] = it.IngestedAt
		}
	}
	out := make(map[int64]time.Time, len(items))
	for _, it := range items {
		out[it.ID] = latest[story(it)]
	}
	return out
}

// inWindow is the slot's stories that arrived after a reader's window
// began, one version of each per language.
func inWindow(items []domain.Item, arrived map[int64]time.Time, start time.Time) map[string][]domain.Item {
	var mine []domain.Item
	for _, it := range items {
		if arrived[it.ID].After(start) {
			mine = append(mine, it)
		}
	}
	out := map[string][]domain.Item{}
	for _, lang := range domain.Languages {
		out[lang] = domain.PickLanguage(mine, lang)
	}
	return out
}
