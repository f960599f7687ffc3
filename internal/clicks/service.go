package clicks

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// Store is the storage the counting needs; package postgres implements it.
type Store interface {
	// StoryTarget is the address of a story of an edition; NotFound when
	// the story is not one of the edition's.
	StoryTarget(ctx context.Context, editionID, itemID int64) (string, error)
	// RecordClick applies decide to the clicks kept under key (a new
	// message's are empty) and records its decision: the kept clicks and
	// the story counts, in one transaction.
	RecordClick(ctx context.Context, key []byte, at time.Time, editionID, itemID int64, decide func(domain.ClickNonce) domain.ClickDecision) error
	// PurgeClickNonces forgets the messages first clicked before t.
	PurgeClickNonces(ctx context.Context, before time.Time) error
	// ClickStats adds up the clicks on the stories of the editions made
	// from from to to: the limit most clicked stories, and per country
	// and topic of the stories.
	ClickStats(ctx context.Context, from, to time.Time, limit int) (domain.ClickStats, error)
}

// Service follows /r/ links: it redirects to the story and counts the
// click when it is a reader's.
type Service struct {
	links *Links
	store Store
	on    bool
	log   *slog.Logger
	// Now is the clock; time.Now when nil.
	Now       func() time.Time
	lastPurge atomic.Int64 // Unix seconds of the last purge of old nonces
}

// New makes the service. With on false (CLICK_COUNTING=off) the mails'
// links go straight to the stories and a /r/ link of an older mail is
// still followed, counting nothing.
func New(links *Links, store Store, on bool, log *slog.Logger) *Service {
	return &Service{links: links, store: store, on: on, log: log}
}

// On reports whether clicks are counted (and mails link through /r/).
func (s *Service) On() bool { return s.on }

// Links are the service's link maker.
func (s *Service) Links() *Links { return s.links }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Follow returns where a /r/ link leads: the story's own address, read
// from the database. A link this site did not sign, or a story not in
// that edition, is NotFound. The click counts only when it is a reader's
// (see Decide and IsScanner): a GET from a browser, with a stamp this site
// made, at least MinDelay after its message was sent and within NonceTTL.
// A failure to count is logged, and the reader still goes to the story.
func (s *Service) Follow(ctx context.Context, link, stamp, method, userAgent string) (string, error) {
	editionID, itemID, ok := s.links.ParseLink(link)
	if !ok {
		return "", errs.New(errs.NotFound, "link not found")
	}
	target, err := s.store.StoryTarget(ctx, editionID, itemID)
	if err != nil {
		return "", err
	}
	if !isHTTP(target) {
		return "", errs.New(errs.NotFound, "link not found")
	}
	if !s.on || method != http.MethodGet || IsScanner(userAgent) {
		return target, nil
	}
	sent, key, ok := s.links.ParseStamp(stamp)
	now := s.now()
	if !ok || now.Sub(sent) < MinDelay || now.Sub(sent) > NonceTTL {
		return target, nil
	}
	s.purge(ctx, now)
	err = s.store.RecordClick(ctx, key, now, editionID, itemID, func(prev domain.ClickNonce) domain.ClickDecision {
		return Decide(prev, itemID, now)
	})
	if err != nil {
		s.log.Warn("count a click", "edition", editionID, "item", itemID, "err", err)
	}
	return target, nil
}

// purge forgets old messages' clicks, at most once an hour per process.
func (s *Service) purge(ctx context.Context, now time.Time) {
	last := s.lastPurge.Load()
	if now.Unix()-last < 3600 || !s.lastPurge.CompareAndSwap(last, now.Unix()) {
		return
	}
	if err := s.store.PurgeClickNonces(ctx, now.Add(-NonceTTL)); err != nil {
		s.log.Warn("purge old click nonces", "err", err)
	}
}

// Stats are the clicks on the stories of the editions made between from
// and to (inclusive days), the limit most clicked stories first.
func (s *Service) Stats(ctx context.Context, from, to time.Time, limit int) (domain.ClickStats, error) {
	if to.Before(from) {
		return domain.ClickStats{}, errs.New(errs.Invalid, "to: before from")
	}
	return s.store.ClickStats(ctx, from, to, limit)
}

func isHTTP(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}
