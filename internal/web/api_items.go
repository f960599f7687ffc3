package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// Page sizes of GET /api/v1/items.
const (
	defaultItemLimit = 100
	maxItemLimit     = 1000
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
	it := s.importer.Item(req.PublishedOn, req.Title, req.Summary, req.URL, req.Language)
	domain.ItemUpdate{Countries: req.Countries, Regions: req.Regions, Topics: req.Topics}.Apply(&it)
	if err := s.checkItem(c, &it); err != nil {
		s.apiFail(c, err)
		return
	}
	imported, _, err := s.db.InsertItems(c.Request.Context(), []domain.Item{it})
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if imported == 0 {
		s.apiFail(c, errs.New(errs.Conflict, "this item is already stored (same link, or a near-identical title within a day)"))
		return
	}
	c.JSON(http.StatusCreated, gin.H{"imported": 1})
}

// checkItem validates an item and its tags against the taxonomy.
func (s *Server) checkItem(c *gin.Context, it *domain.Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		return err
	}
	for _, code := range it.Countries {
		if !tax.HasCountry(code) {
			return errs.New(errs.Invalid, "countries: unknown country code %q", code)
		}
	}
	for _, code := range it.Regions {
		if !tax.HasRegion(code) {
			return errs.New(errs.Invalid, "regions: unknown region %q", code)
		}
	}
	for _, slug := range it.Topics {
		if !tax.HasTopic(slug) {
			return errs.New(errs.Invalid, "topics: unknown topic %q", slug)
		}
	}
	return nil
}

type itemsPage struct {
	Items      []domain.Item `json:"items"`
	NextCursor *string       `json:"next_cursor"`
}

func (s *Server) apiItems(c *gin.Context) {
	f := domain.ItemFilter{
		Country: strings.ToUpper(c.Query("country")),
		Topic:   strings.ToLower(c.Query("topic")),
		Limit:   defaultItemLimit,
	}
	for _, p := range []struct {
		name string
		dst  **domain.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := c.Query(p.name); v != "" {
			d, err := domain.ParseDate(v)
			if err != nil {
				s.apiFail(c, errs.New(errs.Malformed, "%s: want YYYY-MM-DD, got %q", p.name, v))
				return
			}
			*p.dst = &d
		}
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxItemLimit {
			s.apiFail(c, errs.New(errs.Malformed, "limit: want a whole number from 1 to %d", maxItemLimit))
			return
		}
		f.Limit = n
	}
	if v := c.Query("cursor"); v != "" {
		cur, err := decodeCursor(v)
		if err != nil {
			s.apiFail(c, errs.New(errs.Malformed, "cursor: not one this API gave out"))
			return
		}
		f.After = &cur
	}
	// One more than asked tells whether there is a next page.
	want := f.Limit
	f.Limit++
	items, err := s.db.Items(c.Request.Context(), f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	page := itemsPage{Items: items}
	if len(items) > want {
		page.Items = items[:want]
		last := page.Items[want-1]
		next := encodeCursor(domain.ItemCursor{PublishedOn: last.PublishedOn, ID: last.ID})
		page.NextCursor = &next
	}
	if page.Items == nil {
		page.Items = []domain.Item{}
	}
	c.JSON(http.StatusOK, page)
}

func encodeCursor(cur domain.ItemCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cur.PublishedOn.String() + "," + strconv.FormatInt(cur.ID, 10)))
}

func decodeCursor(s string) (domain.ItemCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return domain.ItemCursor{}, err
	}
	day, id, ok := strings.Cut(string(b), ",")
	if !ok {
		return domain.ItemCursor{}, errors.New("no comma")
	}
	d, err := domain.ParseDate(day)
	if err != nil {
		return domain.ItemCursor{}, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return domain.ItemCursor{}, err
	}
	return domain.ItemCursor{PublishedOn: d, ID: n}, nil
}

// apiUpdateItem applies an editor's change: any of title, summary, url,
// countries, regions, topics, hidden, and translation_of (the id of another
// version of the story, or null to take the item out of its story). The
// fields set are recorded in the item's edited_fields and never
// overwritten by ingest.
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
	it, err := s.db.UpdateItem(c.Request.Context(), id, u, func(it *domain.Item) error { return s.checkItem(c, it) })
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
