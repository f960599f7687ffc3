package desk

import (
	"context"
	"net/url"
	"strings"
	"time"

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
func (d *Desk) CreateSource(ctx context.Context, actor string, req SourceRequest) (domain.Source, error) {
	n := domain.NewSource{URL: req.URL, Kind: req.Kind}
	if iv := strings.TrimSpace(req.Interval); iv != "" {
		dur, err := time.ParseDuration(iv)
		if err != nil {
			return domain.Source{}, errs.New(errs.Invalid, "interval: %q is not a duration such as 30m or 1h", iv)
		}
		n.Interval = dur
	}
	n.Normalize()
	if err := n.Validate(); err != nil {
		return domain.Source{}, err
	}
	u, _ := url.Parse(n.URL) // Validate parsed it
	if err := ingest.CheckSourceURL(u, d.Config.IngestAllowPrivateNetworks); err != nil {
		return domain.Source{}, err
	}
	src, err := d.DB.CreateSource(ctx, n)
	if err != nil {
		return domain.Source{}, err
	}
	if _, err := d.Queue.EnqueueContext(ctx, tasks.NewPollSource(src.ID, src.NextPollAt)); err != nil && !tasks.IsDuplicate(err) {
		d.Log.Warn("first poll left to the reconciler", "source", src.ID, "err", err)
	}
	d.Audit(ctx, actor, "source.create", "source", src.ID, "%s %s every %s", src.Kind, src.URL, domain.FormatInterval(src.Interval))
	return src, nil
}

// DeleteSource stops polling a source; the items it brought stay. A poll
// already queued finds the source gone and does nothing.
func (d *Desk) DeleteSource(ctx context.Context, actor string, id int64) (domain.Source, error) {
	src, err := d.DB.DeleteSource(ctx, id)
	if err != nil {
		return src, err
	}
	d.Audit(ctx, actor, "source.delete", "source", id, "%s %s (%d items kept)", src.Kind, src.URL, src.ItemCount)
	return src, nil
}
