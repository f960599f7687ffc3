package subscribers

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
)

// EstimateWeeks is how far back the estimate looks: long enough to even
// out a quiet week, short enough to reflect what the desk sends now.
const EstimateWeeks = 8

// EstimateMaxAge is how long one snapshot of the recent stories answers
// estimates before it is read again.
const EstimateMaxAge = 5 * time.Minute

// Estimate is how many recent stories a filter matches.
type Estimate struct {
	Stories int // matched in the last EstimateWeeks weeks
	PerWeek int // Stories a week, rounded to the nearest whole story
}

// EstimateSource is where an Estimator reads recent stories.
type EstimateSource interface {
	RecentStories(ctx context.Context, since time.Time) ([]domain.Item, error)
}

// Estimator tells a person choosing what to receive how many stories a
// week their choice would bring, with Match, the digest's own rule. It
// answers from a snapshot of the last weeks' stories kept in memory and
// read again when older than MaxAge, so that a public page asking as each
// box is ticked costs no query.
type Estimator struct {
	Source   EstimateSource
	Taxonomy Taxonomies       // for the regions' members
	MaxAge   time.Duration    // EstimateMaxAge when zero
	Now      func() time.Time // time.Now when nil

	snap    atomic.Pointer[estimateSnapshot]
	loading sync.Mutex
}

type estimateSnapshot struct {
	at      time.Time
	regions digest.RegionMembers
	// byLanguage holds, per digest language, one version of each story:
	// the one a reader of that language gets (domain.PickLanguage).
	byLanguage map[string][]domain.Item
}

// Estimate counts the recent stories f matches. f must be normalised
// and its values known (domain.Filter.CheckValues).
func (e *Estimator) Estimate(ctx context.Context, f domain.Filter) (Estimate, error) {
	snap, err := e.snapshot(ctx)
	if err != nil {
		return Estimate{}, err
	}
	n := 0
	for _, s := range digest.Match(f, snap.byLanguage[f.Language], snap.regions, nil) {
		n += len(s.Items)
	}
	return Estimate{Stories: n, PerWeek: (n + EstimateWeeks/2) / EstimateWeeks}, nil
}

// snapshot returns a snapshot young enough to answer from. While one
// request reads a new one, the others answer from the old; only when
// there is none yet do they wait for it.
func (e *Estimator) snapshot(ctx context.Context) (*estimateSnapshot, error) {
	now := e.now()
	snap := e.snap.Load()
	if snap != nil && now.Sub(snap.at) < e.maxAge() {
		return snap, nil
	}
	if snap != nil {
		if !e.loading.TryLock() {
			return snap, nil
		}
	} else {
		e.loading.Lock()
	}
	defer e.loading.Unlock()
	// Another request may have read it while this one waited.
	if fresh := e.snap.Load(); fresh != nil && now.Sub(fresh.at) < e.maxAge() {
		return fresh, nil
	}
	fresh, err := e.load(ctx, now)
	if err != nil {
		if snap != nil {
			return snap, nil // an older answer beats none
		}
		return nil, err
	}
	e.snap.Store(fresh)
	return fresh, nil
}

func (e *Estimator) load(ctx context.Context, now time.Time) (*estimateSnapshot, error) {
	tax, err := e.Taxonomy.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	items, err := e.Source.RecentStories(ctx, now.Add(-EstimateWeeks*7*24*time.Hour))
	if err != nil {
		return nil, err
	}
	snap := &estimateSnapshot{at: now, regions: digest.RegionsOf(tax), byLanguage: map[string][]domain.Item{}}
	for _, lang := range domain.Languages {
		snap.byLanguage[lang] = domain.PickLanguage(items, lang)
	}
	return snap, nil
}

func (e *Estimator) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Estimator) maxAge() time.Duration {
	if e.MaxAge > 0 {
		return e.MaxAge
	}
	return EstimateMaxAge
}
