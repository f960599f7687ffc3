package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
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
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		if err := bindJSON(c, &req); err != nil {
			s.apiFail(c, err)
			return
		}
	}
	// Asked again while the edition is on its way, the answer is the same.
	e, _, err := s.editions.Create(c.Request.Context(), domain.APIActor, req.PublishedFrom, req.PublishedTo)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"id": e.ID})
}

func (s *Server) apiEdition(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.apiFail(c, errs.New(errs.NotFound, "edition %q not found", c.Param("id")))
		return
	}
	e, err := s.editions.Edition(c.Request.Context(), id)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) apiEditions(c *gin.Context) {
	list, err := s.editions.List(c.Request.Context(), 50)
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
	m, err := s.editions.Preview(c.Request.Context(), f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(m.HTML))
}

// apiCancelEdition stops an edition that is queued, compiling or sending:
// what was sent stays sent, the rest is skipped with reason "cancelled".
func (s *Server) apiCancelEdition(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.apiFail(c, errs.New(errs.NotFound, "edition %q not found", c.Param("id")))
		return
	}
	e, err := s.editions.Cancel(c.Request.Context(), domain.APIActor, id)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// apiRetryEdition sends an edition's failed deliveries again; those to
// people no longer active are skipped instead.
func (s *Server) apiRetryEdition(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.apiFail(c, errs.New(errs.NotFound, "edition %q not found", c.Param("id")))
		return
	}
	r, err := s.editions.Retry(c.Request.Context(), domain.APIActor, id)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"id": id, "retried": r.Retried, "skipped": r.Skipped})
}
