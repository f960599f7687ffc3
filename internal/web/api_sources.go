package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/items"
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
	// FailuresInRow counts the failed polls since the last good one;
	// each doubles the wait before the next, up to 6 hours.
	FailuresInRow int `json:"failures_in_row"`
	ItemCount     int `json:"item_count"`
}

func toSourceJSON(s domain.Source) sourceJSON {
	j := sourceJSON{
		ID: s.ID, URL: s.URL, Kind: s.Kind, Interval: domain.FormatInterval(s.Interval),
		CreatedAt: s.CreatedAt, NextPollAt: s.NextPollAt, LastPolledAt: s.LastPolledAt,
		LastSuccessAt: s.LastSuccessAt, LastErrorAt: s.LastErrorAt, FailuresInRow: s.FailuresInRow, ItemCount: s.ItemCount,
	}
	if s.LastError != "" {
		j.LastError = &s.LastError
	}
	return j
}

// apiCreateSource registers a source and queues its first poll.
func (s *Server) apiCreateSource(c *gin.Context) {
	var req newSourceRequest
	if err := bindJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	src, err := s.items.CreateSource(c.Request.Context(), domain.APIActor,
		items.SourceRequest{URL: req.URL, Kind: req.Kind, Interval: req.Interval})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toSourceJSON(src))
}

// apiDeleteSource stops polling a source; its items stay.
func (s *Server) apiDeleteSource(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.apiFail(c, errs.New(errs.NotFound, "source %q not found", c.Param("id")))
		return
	}
	if _, err := s.items.DeleteSource(c.Request.Context(), domain.APIActor, id); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiSources lists the sources with how their polling goes.
func (s *Server) apiSources(c *gin.Context) {
	list, err := s.items.Sources(c.Request.Context())
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
