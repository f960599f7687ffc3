package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/items"
)

// newItemRequest is the body of POST /api/v1/items. Tags left out are
// set by the tagger; tags given are the editor's (reason "editor", and
// recorded as edited so that a feed bringing the story again keeps them).
type newItemRequest struct {
	PublishedOn domain.Date `json:"published_on"`
	Title       string      `json:"title"`
	Summary     string      `json:"summary"`
	URL         string      `json:"url"`
	Language    string      `json:"language"`
	Countries   *[]string   `json:"countries"`
	Regions     *[]string   `json:"regions"`
	Topics      *[]string   `json:"topics"`
}

func (s *Server) apiCreateItem(c *gin.Context) {
	var req newItemRequest
	if err := bindJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	it, err := s.items.Create(c.Request.Context(), domain.APIActor, items.NewItem{
		PublishedOn: req.PublishedOn, Title: req.Title, Summary: req.Summary, URL: req.URL, Lang: req.Language,
		Countries: req.Countries, Regions: req.Regions, Topics: req.Topics,
	})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"imported": 1, "id": it.ID})
}

type itemsPage struct {
	Items      []domain.Item `json:"items"`
	NextCursor *string       `json:"next_cursor"`
}

func (s *Server) apiItems(c *gin.Context) {
	f := domain.ItemFilter{
		Country: strings.ToUpper(c.Query("country")),
		Topic:   strings.ToLower(c.Query("topic")),
		Limit:   items.DefaultItemLimit,
	}
	for _, p := range []struct {
		name string
		dst  **domain.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := c.Query(p.name); v != "" {
			d, err := domain.ParseDate(v)
			if err != nil {
				s.apiFail(c, errs.New(errs.Malformed, "%s: %v, got %q", p.name, err, v))
				return
			}
			*p.dst = &d
		}
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > items.MaxItemLimit {
			s.apiFail(c, errs.New(errs.Malformed, "limit: want a whole number from 1 to %d", items.MaxItemLimit))
			return
		}
		f.Limit = n
	}
	if v := c.Query("cursor"); v != "" {
		cur, err := domain.DecodeItemCursor(v)
		if err != nil {
			s.apiFail(c, err)
			return
		}
		f.After = &cur
	}
	if err := s.items.CheckFilter(c.Request.Context(), f); err != nil {
		s.apiFail(c, err)
		return
	}
	page, err := s.items.List(c.Request.Context(), items.Query{ItemFilter: f})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	out := itemsPage{Items: page.Items}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
	}
	c.JSON(http.StatusOK, out)
}

// apiUpdateItem applies an editor's change: any of title, summary, url,
// countries, regions, topics, hidden, translation_of (the id of another
// version of the story, or null to take the item out of its story) and
// featured_until (an RFC 3339 time, or null to stop featuring it), all
// or none of them. The fields set are recorded in the item's
// edited_fields and never overwritten by ingest.
func (s *Server) apiUpdateItem(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.apiFail(c, errs.New(errs.NotFound, "item %q not found", c.Param("id")))
		return
	}
	var u domain.ItemUpdate
	if err := bindJSON(c, &u); err != nil {
		s.apiFail(c, err)
		return
	}
	it, err := s.items.Update(c.Request.Context(), domain.APIActor, id, u)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
