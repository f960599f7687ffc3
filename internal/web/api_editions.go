package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/tasks"
)

type newEditionRequest struct {
	PublishedFrom *domain.Date `json:"published_from"`
	PublishedTo   *domain.Date `json:"published_to"`
}

// apiCreateEdition makes an edition now and queues its compile. If the
// queue is down the edition still exists, and the worker's reconciler
// queues it when it can.
func (s *Server) apiCreateEdition(c *gin.Context) {
	var req newEditionRequest
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	if err != nil {
		s.apiFail(c, errs.New(errs.TooLarge, "request body larger than %d bytes", maxJSONBody))
		return
	}
	// The body is optional: none means "everything new since the last edition".
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			s.apiFail(c, errs.New(errs.Malformed, "body: want {\"published_from\": \"YYYY-MM-DD\", \"published_to\": \"YYYY-MM-DD\"}: %v", err))
			return
		}
	}
	if req.PublishedFrom != nil && req.PublishedTo != nil && req.PublishedTo.Before(req.PublishedFrom.Time) {
		s.apiFail(c, errs.New(errs.Invalid, "published_to: before published_from"))
		return
	}
	e, _, err := s.db.CreateEdition(c.Request.Context(), postgres.NewEdition{
		PublishedFrom: req.PublishedFrom, PublishedTo: req.PublishedTo,
	})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if _, err := s.queue.EnqueueContext(c.Request.Context(), tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("edition queued for the reconciler", "edition", e.ID, "err", err)
	}
	c.JSON(http.StatusAccepted, gin.H{"id": e.ID})
}

func (s *Server) apiEdition(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.apiFail(c, errs.New(errs.NotFound, "edition %q not found", c.Param("id")))
		return
	}
	e, err := s.db.Edition(c.Request.Context(), id)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) apiEditions(c *gin.Context) {
	list, err := s.db.Editions(c.Request.Context(), 50)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if list == nil {
		list = []domain.Edition{}
	}
	c.JSON(http.StatusOK, gin.H{"editions": list})
}

// apiPreview renders, as HTML, the digest a filter would receive from the
// most recently published items.
func (s *Server) apiPreview(c *gin.Context) {
	var f domain.Filter
	if err := bindJSON(c, &f); err != nil {
		s.apiFail(c, err)
		return
	}
	ctx := c.Request.Context()
	tax, err := s.taxonomy(ctx)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	f.Normalize()
	if err := f.Validate(tax); err != nil {
		s.apiFail(c, err)
		return
	}
	items, err := s.db.Items(ctx, domain.ItemFilter{Limit: 300})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	regions := digest.RegionMembers{}
	for _, r := range tax.Regions {
		regions[r.Code] = r.Countries
	}
	picked := domain.PickLanguage(items, f.Language)
	d := digest.BuildDigest(tax, f.Language, digest.Match(f, picked, regions, nil), picked)
	d.EditionDate = time.Now().UTC().Format(domain.DateLayout)
	d.UnsubscribeURL = s.cfg.URL("/unsubscribe/" + render.TokenPlaceholder)
	d.PreferencesURL = s.cfg.URL("/preferences/" + render.TokenPlaceholder)
	d.PostalAddress = s.cfg.OrgPostalAddress
	m, err := s.renderer.Digest(d)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(m.HTML))
}
