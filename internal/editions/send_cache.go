package editions

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/mail"
)

// maxCacheBytes bounds the rendered digests a worker keeps. Deliveries are
// numbered group by group, so a batch needs few digests and a small cache
// serves it; the bound keeps memory flat however many groups an edition has.
const maxCacheBytes = 32 << 20

// bodyKey names a rendered digest: its group's, in the words of its
// readers' frequency, dated by their day.
type bodyKey struct {
	group     int64
	frequency string
	// day is the edition's date in the reader's own time zone, where it
	// is not the desk's: a slot sent at 08:00 on Monday in Tokyo is
	// Sunday's in Costa Rica. Empty: the desk's date.
	day string
}

func (s *Sender) bodyKeyOf(ed *editionData, c domain.ClaimedDelivery) bodyKey {
	k := bodyKey{group: c.GroupID, frequency: cmp.Or(c.Frequency, s.Masthead.Frequency)}
	if c.Timezone == "" {
		return k
	}
	if zone, err := loadZone(c.Timezone); err == nil {
		if day := ed.at.In(zone).Format(domain.DateLayout); day != s.Masthead.Day(ed.at) {
			k.day = day
		}
	}
	return k
}

// zones are the time zones read so far: time.LoadLocation reads and
// parses a file each time, and a batch names the same few again and
// again.
var zones sync.Map // name → *time.Location

func loadZone(name string) (*time.Location, error) {
	if z, ok := zones.Load(name); ok {
		return z.(*time.Location), nil
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, z)
	return z, nil
}

// cachedBody is one group's digest, rendered by the first sender that needs
// it while the others wait for it (or send other groups' messages).
type cachedBody struct {
	once    sync.Once
	stories string       // the edition's stories it was made from (editionData.stories)
	key     bodyKey      // its group, and its readers' frequency and day
	body    *mail.Shared // the group's digest, composed for sending
	err     error
	// group and shown are the layout body was made from and how many
	// stories it holds; fitted is a smaller render of it that went
	// under the size limit (fit.go).
	group  domain.DigestGroup
	shown  int
	fitted atomic.Pointer[fittedBody]
}

// groupsFor loads the layouts of the claims' groups that are not rendered
// yet, in one query.
func (s *Sender) groupsFor(ctx context.Context, ed *editionData, claims []domain.ClaimedDelivery) (map[int64]domain.DigestGroup, error) {
	var missing []int64
	s.mu.Lock()
	for _, c := range claims {
		if s.cache[s.bodyKeyOf(ed, c)] == nil && !containsID(missing, c.GroupID) {
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
		e = &cachedBody{stories: ed.stories, key: key}
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
		e.body, e.shown, e.err = s.renderGroup(ed, g, key, digest.MaxEmailStories)
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
