package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// apiResumeEdition lets an edition that paused itself (too many bounces
// or complaints) send again: 202 with the edition; 409 when it is not
// paused. To stop it instead, cancel it.
func (s *Server) apiResumeEdition(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.apiFail(c, errs.New(errs.NotFound, "edition %q not found", c.Param("id")))
		return
	}
	if err := s.editions.Resume(c.Request.Context(), domain.APIActor, id); err != nil {
		s.apiFail(c, err)
		return
	}
	e, err := s.editions.Edition(c.Request.Context(), id)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, e)
}
