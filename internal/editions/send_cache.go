package editions

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/mail"
)

// maxCacheBytes bounds the rendered digests a worker keeps. Deliveries are
// numbered group by group, so a batch needs few digests and a small cache
// serves it; the bound keeps memory flat however many groups an edition has.
const maxCacheBytes = 32 << 20

// bodyKey names a rendered digest: its group's, in the words of its
// readers' frequency.
type bodyKey struct {
	group     int64
	frequency string
}

func (s *Sender) bodyKeyOf(c domain.ClaimedDelivery) bodyKey {
	if c.Frequency == "" {
		return bodyKey{c.GroupID, s.DeskFrequency}
	}
	return bodyKey{c.GroupID, c.Frequency}
}

// cachedBody is one group's digest, rendered by the first sender that needs
// it while the others wait for it (or send other groups' messages).
type cachedBody struct {
	once      sync.Once
	stories   string       // the edition's stories it was made from (editionData.stories)
	frequency string       // its readers' (bodyKey)
	body      *mail.Shared // the group's digest, composed for sending
	err       error
	// group and shown are the layout body was made from and how many
	// stories it holds; fitted is a smaller render of it that went
	// under the size limit (fit.go).
	group  domain.DigestGroup
	shown  int
	fitted atomic.Pointer[fittedBody]
}

// groupsFor loads the layouts of the claims' groups that are not rendered
// yet, in one query.
func (s *Sender) groupsFor(ctx context.Context, claims []domain.ClaimedDelivery) (map[int64]domain.DigestGroup, error) {
	var missing []int64
	s.mu.Lock()
	for _, c := range claims {
		if s.cache[s.bodyKeyOf(c)] == nil && !containsID(missing, c.GroupID) {
			missing = append(missing, c.GroupID)
		}
	}
	s.mu.Unlock()
	out := map[int64]domain.DigestGroup{}
	if len(missing) == 0 {
		return out, nil
	}
	groups, err := s.Store.Groups(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		out[g.ID] = g
	}
	return out, nil
}

// body returns a group's digest, rendering it on first use and again once
// the edition's stories changed (one hidden or corrected). groups holds
// the layouts loaded for the batch; one missing (the cache was emptied
// meanwhile) is loaded on its own.
func (s *Sender) body(ctx context.Context, ed *editionData, groups map[int64]domain.DigestGroup, key bodyKey) (*cachedBody, error) {
	id := key.group
	s.mu.Lock()
	e := s.cache[key]
	if e == nil || e.stories != ed.stories {
		if s.cache == nil || s.cacheBytes > maxCacheBytes {
			s.cache, s.cacheBytes = map[bodyKey]*cachedBody{}, 0
		}
		e = &cachedBody{stories: ed.stories, frequency: key.frequency}
		s.cache[key] = e
	}
	s.mu.Unlock()
	e.once.Do(func() {
		// A render that panics (a bug) fails this group's deliveries rather
		// than the worker, which would meet the same group again on restart.
		defer func() {
			if v := recover(); v != nil {
				e.body, e.err = nil, fmt.Errorf("render group %d: panic: %v", id, v)
			}
		}()
		g, ok := groups[id]
		if !ok {
			loaded, err := s.Store.Groups(ctx, []int64{id})
			if err != nil || len(loaded) != 1 {
				e.err = fmt.Errorf("load group %d: %v", id, err)
				return
			}
			g = loaded[0]
		}
		e.group = g
		e.body, e.shown, e.err = s.renderGroup(ed, g, e.frequency, digest.MaxEmailStories)
		s.mu.Lock()
		if e.err == nil {
			s.cacheBytes += e.body.Size()
		}
		s.mu.Unlock()
	})
	if e.err != nil && !errors.Is(e.err, errWithdrawn) {
		// Forget a failed render, so a later batch tries again.
		s.mu.Lock()
		if s.cache[key] == e {
			delete(s.cache, key)
		}
		s.mu.Unlock()
	}
	return e, e.err
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
