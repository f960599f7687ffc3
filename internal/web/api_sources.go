package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
	"newsdigest/internal/tasks"
)

// newSourceRequest is the body of POST /api/v1/sources.
type newSourceRequest struct {
	URL      string `json:"url"`
	Kind     string `json:"kind"`     // default "feed"
	Interval string `json:"interval"` // a Go duration; default "1h"
}

// sourceJSON is a source as the API shows it; the validators stay inside.
type sourceJSON struct {
	ID            int64      `json:"id"`
	URL           string     `json:"url"`
	Kind          string     `json:"kind"`
	Interval      string     `json:"interval"`
	CreatedAt     time.Time  `json:"created_at"`
	NextPollAt    time.Time  `json:"next_poll_at"`
	LastPolledAt  *time.Time `json:"last_polled_at"`
	LastSuccessAt *time.Time `json:"last_success_at"`
	LastError     *string    `json:"last_error"`
	LastErrorAt   *time.Time `json:"last_error_at"`
	ItemCount     int        `json:"item_count"`
}

func toSourceJSON(s domain.Source) sourceJSON {
	j := sourceJSON{
		ID: s.ID, URL: s.URL, Kind: s.Kind, Interval: domain.FormatInterval(s.Interval),
		CreatedAt: s.CreatedAt, NextPollAt: s.NextPollAt, LastPolledAt: s.LastPolledAt,
		LastSuccessAt: s.LastSuccessAt, LastErrorAt: s.LastErrorAt, ItemCount: s.ItemCount,
	}
	if s.LastError != "" {
		j.LastError = &s.LastError
	}
	return j
}

// apiCreateSource registers a source and queues its first poll. If the
// queue is down the source is still registered, due now, and the worker's
// reconciler queues the poll when it can.
func (s *Server) apiCreateSource(c *gin.Context) {
	var req newSourceRequest
	if err := bindJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	n := domain.NewSource{URL: req.URL, Kind: req.Kind}
	if iv := strings.TrimSpace(req.Interval); iv != "" {
		d, err := time.ParseDuration(iv)
		if err != nil {
			s.apiFail(c, errs.New(errs.Invalid, "interval: %q is not a duration such as 30m or 1h", iv))
			return
		}
		n.Interval = d
	}
	n.Normalize()
	if err := n.Validate(); err != nil {
		s.apiFail(c, err)
		return
	}
	u, _ := url.Parse(n.URL) // Validate parsed it
	if err := ingest.CheckSourceURL(u, s.cfg.IngestAllowPrivateNetworks); err != nil {
		s.apiFail(c, err)
		return
	}
	src, err := s.db.CreateSource(c.Request.Context(), n)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if _, err := s.queue.EnqueueContext(c.Request.Context(), tasks.NewPollSource(src.ID, src.NextPollAt)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("first poll left to the reconciler", "source", src.ID, "err", err)
	}
	c.JSON(http.StatusCreated, toSourceJSON(src))
}

// apiSources lists the sources with how their polling goes.
func (s *Server) apiSources(c *gin.Context) {
	list, err := s.db.Sources(c.Request.Context())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	out := make([]sourceJSON, len(list))
	for i, src := range list {
		out[i] = toSourceJSON(src)
	}
	c.JSON(http.StatusOK, gin.H{"sources": out})
}
