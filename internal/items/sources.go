package items

import (
	"context"
	"net/url"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
	"newsdigest/internal/tasks"
)

// SourceRequest is an editor's request to poll a URL, as typed: interval
// is a Go duration ("" for the default).
type SourceRequest struct {
	URL, Kind, Interval string
}

// CreateSource registers a source and queues its first poll. If the
// queue is down the source is still registered, due now, and the worker's
// reconciler queues the poll when it can.
func (s *Service) CreateSource(ctx context.Context, actor string, req SourceRequest) (domain.Source, error) {
	n, err := s.newSource(req)
	if err != nil {
		return domain.Source{}, err
	}
	src, err := s.store.CreateSource(ctx, n)
	if err != nil {
		return domain.Source{}, err
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewPollSource(src.ID, src.NextPollAt)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("first poll left to the reconciler", "source", src.ID, "err", err)
	}
	s.audit.Audit(ctx, actor, "source.create", "source", src.ID, "%s %s every %s", src.Kind, src.URL, domain.FormatInterval(src.Interval))
	return src, nil
}

// newSource reads and checks a request for a source, as adding and
// editing one both do; errors name the field.
func (s *Service) newSource(req SourceRequest) (domain.NewSource, error) {
	n := domain.NewSource{URL: req.URL, Kind: req.Kind}
	if iv := strings.TrimSpace(req.Interval); iv != "" {
		dur, err := domain.ParseInterval(iv)
		if err != nil {
			return n, errs.New(errs.Invalid, "interval: %q is not a duration such as 30m, 1h or 2 hours", iv)
		}
		n.Interval = dur
	}
	n.Normalize()
	if err := n.Validate(); err != nil {
		return n, err
	}
	u, _ := url.Parse(n.URL) // Validate parsed it
	if err := ingest.CheckSourceURL(u, s.cfg.IngestAllowPrivateNetworks); err != nil {
		return n, err
	}
	return n, nil
}

// Sources lists the sources the worker polls, with their last poll.
func (s *Service) Sources(ctx context.Context) ([]domain.Source, error) {
	return s.store.Sources(ctx)
}

// Source returns one source.
func (s *Service) Source(ctx context.Context, id int64) (domain.Source, error) {
	return s.store.Source(ctx, id)
}

// DeleteSource stops polling a source; the items it brought stay. A poll
// already queued finds the source gone and does nothing.
func (s *Service) DeleteSource(ctx context.Context, actor string, id int64) (domain.Source, error) {
	src, err := s.store.DeleteSource(ctx, id)
	if err != nil {
		return src, err
	}
	s.audit.Audit(ctx, actor, "source.delete", "source", id, "%s %s (items kept: %d)", src.Kind, src.URL, src.ItemCount)
	return src, nil
}
