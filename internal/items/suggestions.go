package items

import (
	"context"
	"slices"
	"strings"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/tagging"
)

// QualityWindow is the period over which the console shows how often
// editors changed the tagger's choice of each topic.
const QualityWindow = 90 * 24 * time.Hour

// TaggingQuality is what the console shows of the tagger: the model in
// use, how many suggestions wait, and per topic how often editors
// changed its choice over QualityWindow, the most changed first.
type TaggingQuality struct {
	Model *domain.TagModelInfo // nil when none is stored yet
	// ModelProblem says why this process does not tag with Model (it
	// cannot be read), and with what instead; nil when it does.
	ModelProblem *tagging.ModelProblem
	Suggestions  int
	Topics       []domain.TopicCorrections
	// Habits are what the desk's corrections show, as the model the
	// tagger uses counted them at its retraining (tagging.Model.Habits).
	Habits []tagging.Habit
}

// TaggingQuality gathers the figures of the tagger as of now.
func (s *Service) TaggingQuality(ctx context.Context, now time.Time) (TaggingQuality, error) {
	var q TaggingQuality
	// Look at the newest model as an import would, so the page says
	// whether it can be used even before the first story comes.
	s.refreshTagger(ctx)
	q.ModelProblem = s.models.Problem()
	if m := s.tagger.Model(); m != nil {
		q.Habits = m.Habits()
	}
	switch m, err := s.store.LatestTagModelInfo(ctx); {
	case err == nil:
		q.Model = &m
	case !errs.Is(err, errs.NotFound):
		return q, err
	}
	_, total, err := s.store.TagSuggestions(ctx, 0)
	if err != nil {
		return q, err
	}
	q.Suggestions = total
	if q.Topics, err = s.store.TopicCorrections(ctx, now.Add(-QualityWindow)); err != nil {
		return q, err
	}
	// The topics the desk changes most are those it should teach first.
	slices.SortStableFunc(q.Topics, func(a, b domain.TopicCorrections) int {
		switch sa, sb := a.Share(), b.Share(); {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return strings.Compare(a.Topic, b.Topic)
	})
	return q, nil
}

// TagSuggestions returns up to limit of the tagger's suggestions that
// still fit their stories, and how many there are in all.
func (s *Service) TagSuggestions(ctx context.Context, limit int) ([]domain.TagSuggestion, int, error) {
	return s.store.TagSuggestions(ctx, limit)
}

// TagSuggestion returns the suggestion for one story; errs.NotFound when
// there is none that fits it.
func (s *Service) TagSuggestion(ctx context.Context, itemID int64) (domain.TagSuggestion, error) {
	return s.store.TagSuggestion(ctx, itemID)
}

// AcceptTagSuggestion makes the tagger's suggestion for a story the
// editor's tags (storage's AcceptTagSuggestion), audited as
// item.retag. shown is what the editor was shown (TagSuggestion.Shown),
// or "" to take the suggestion as it is now: one a retraining replaced
// since is left for the editor to look at, errs.Conflict because of
// domain.ErrSuggestionChanged. The acceptance is an example like a
// correction: the tagger learns that the desk agrees.
func (s *Service) AcceptTagSuggestion(ctx context.Context, actor string, itemID int64, shown string) (domain.Item, error) {
	sg, err := s.store.TagSuggestion(ctx, itemID)
	if err != nil {
		return domain.Item{}, err
	}
	if shown == "" {
		// What is audited is what is accepted, even if a retraining
		// replaces the suggestion in between.
		shown = sg.Shown()
	}
	it, err := s.store.AcceptTagSuggestion(ctx, actor, itemID, shown)
	if err != nil {
		return it, err
	}
	s.audit.Audit(ctx, actor, "item.retag", "item", itemID, "%s", describeChanges(sg.Changes))
	s.tagsCorrected(ctx, updateOf(sg))
	return it, nil
}

// AcceptedAll is what accepting every suggestion did: how many were
// accepted, how many withdrawn (they no longer fitted their story), and
// how many were left because they changed since the editor saw them.
type AcceptedAll struct{ Accepted, Withdrawn, Changed int }

// AcceptAllTagSuggestions accepts every suggestion that still fits its
// story, one story at a time; those that no longer fit are withdrawn.
// shown is what the editor saw of the suggestions listed to them
// (TagSuggestion.Shown, by story): one of those that a retraining
// replaced since with another is left for them to look at, not accepted
// unseen; those not listed are taken as they are. One accepted
// meanwhile by another request (the same button clicked twice, or
// another editor) counts as accepted, and is audited by that request.
func (s *Service) AcceptAllTagSuggestions(ctx context.Context, actor string, shown map[int64]string) (AcceptedAll, error) {
	var r AcceptedAll
	const batch = 500
	// A story whose suggestion a retraining replaced meanwhile is listed
	// again with the new one: it is withdrawn only if that is not taken.
	gone, changed := map[int64]bool{}, map[int64]bool{}
	for {
		list, _, err := s.store.TagSuggestions(ctx, batch+len(changed))
		if err != nil {
			return r, err
		}
		tried := 0
		for _, sg := range list {
			saw, listed := shown[sg.ItemID]
			if listed && saw != sg.Shown() {
				changed[sg.ItemID] = true
				continue
			}
			if !listed {
				saw = sg.Shown()
			}
			tried++
			_, err := s.store.AcceptTagSuggestion(ctx, actor, sg.ItemID, saw)
			switch {
			case err == nil:
				r.Accepted++
				delete(gone, sg.ItemID)
				s.audit.Audit(ctx, actor, "item.retag", "item", sg.ItemID, "%s", describeChanges(sg.Changes))
			case errs.Is(err, errs.NotFound) && s.applied(ctx, sg):
				r.Accepted++ // by another request, meanwhile
				delete(gone, sg.ItemID)
			case errs.Is(err, errs.Conflict), errs.Is(err, errs.NotFound):
				// Changed, declined by another editor, or replaced,
				// meanwhile: a replaced one is listed again.
				gone[sg.ItemID] = true
			default:
				return r, err
			}
		}
		if tried == 0 {
			// Nothing left but what changed since the editor saw it.
			for id := range changed {
				delete(gone, id)
			}
			r.Withdrawn, r.Changed = len(gone), len(changed)
			return r, nil
		}
		s.tagsCorrected(ctx, domain.ItemUpdate{Topics: &[]string{}})
	}
}

// KeepTags declines the tagger's suggestion for a story: the lists it
// would change are confirmed as they are, as the editor's (so the tagger
// leaves them alone, and learns that the desk disagrees). The lists are
// kept as the editor saw them: when the story's tags changed since (an
// editor, or its source), the suggestion is withdrawn, errs.Conflict,
// and the newer tags stay. shown is what the editor was shown
// (TagSuggestion.Shown), or "" to decline the suggestion as it is now:
// one a retraining replaced since is left for the editor, as
// AcceptTagSuggestion leaves it, so that no list the editor did not see
// offered is confirmed as theirs. Audited as an edit of those lists.
func (s *Service) KeepTags(ctx context.Context, actor string, itemID int64, shown string) (domain.Item, error) {
	sg, err := s.store.TagSuggestion(ctx, itemID)
	if err != nil {
		return domain.Item{}, err
	}
	if shown == "" {
		shown = sg.Shown()
	}
	it, err := s.store.KeepTagSuggestion(ctx, actor, itemID, shown)
	if err != nil {
		return it, err
	}
	s.audit.Audit(ctx, actor, "item.update", "item", itemID, "%s", strings.Join(sg.Kinds(), ", "))
	s.tagsCorrected(ctx, updateOf(sg))
	return it, nil
}

// updateOf is the update a suggestion makes: its lists, for asking for a
// retraining.
func updateOf(sg domain.TagSuggestion) domain.ItemUpdate {
	var u domain.ItemUpdate
	for _, kind := range sg.Kinds() {
		to := sg.To.List(kind)
		switch kind {
		case domain.FieldCountries:
			u.Countries = &to
		case domain.FieldRegions:
			u.Regions = &to
		default:
			u.Topics = &to
		}
	}
	return u
}

// describeChanges writes a suggestion's changes for the audit log:
// "+topics:protection -topics:health".
func describeChanges(changes []domain.TagChange) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		sign := "-"
		if c.Add {
			sign = "+"
		}
		parts[i] = sign + c.Kind + ":" + c.Code
	}
	return strings.Join(parts, " ")
}

// applied reports whether a story has the lists its suggestion proposed
// now, in every list the suggestion changes: it was accepted.
func (s *Service) applied(ctx context.Context, sg domain.TagSuggestion) bool {
	it, err := s.store.Item(ctx, sg.ItemID)
	if err != nil {
		return false
	}
	for _, kind := range sg.Kinds() {
		now, want := slices.Clone(it.TagLists().List(kind)), slices.Clone(sg.To.List(kind))
		slices.Sort(now)
		slices.Sort(want)
		if !slices.Equal(now, want) {
			return false
		}
	}
	return true
}
