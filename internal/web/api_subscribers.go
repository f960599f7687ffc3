package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/subscribers"
)

// Page sizes of GET /api/v1/subscribers.
const (
	defaultSubscriberLimit = 100
	maxSubscriberLimit     = 1000
)

// bulkDeadline is how long an import may take to upload, or an export to
// download, past the server's usual timeouts: a list of a million people
// is tens of megabytes.
const bulkDeadline = 10 * time.Minute

// apiImportSubscribers stores a CSV list of people as active subscribers:
// all of them, or none with every line that was wrong.
func (s *Server) apiImportSubscribers(c *gin.Context) {
	// The whole header, not c.ContentType(), which drops the charset.
	mediaType, params, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mediaType != "" && mediaType != "text/csv" && mediaType != "application/csv" {
		apiStatus(c, http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %q: send the list as text/csv", mediaType))
		return
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		apiStatus(c, http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("charset %q: send the list as UTF-8", cs))
		return
	}
	tooLarge := errs.New(errs.TooLarge, "list larger than %d MiB", subscribers.MaxCSVBytes>>20)
	if c.Request.ContentLength > subscribers.MaxCSVBytes {
		s.apiFail(c, tooLarge) // refused before a byte of it is read
		return
	}
	extendDeadlines(c)
	body := http.MaxBytesReader(c.Writer, c.Request.Body, subscribers.MaxCSVBytes)
	res, err := s.subscribers.Import(c.Request.Context(), domain.APIActor, body, consentOf(c))
	if err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			err = tooLarge
		}
		var e *errs.Error
		if errors.As(err, &e) && e.Kind == errs.Invalid {
			c.AbortWithStatusJSON(http.StatusUnprocessableEntity, gin.H{
				"error":    apiError{Code: string(errs.Invalid), Message: e.Message},
				"imported": 0,
				"skipped":  0,
				"errors":   e.Details,
			})
			return
		}
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

type subscribersPage struct {
	Subscribers []domain.Subscriber `json:"subscribers"`
	NextCursor  *string             `json:"next_cursor"`
}

// apiSubscribers lists subscribers in id order, a page at a time.
func (s *Server) apiSubscribers(c *gin.Context) {
	f, err := s.subscriberFilter(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	f.Limit = defaultSubscriberLimit
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSubscriberLimit {
			s.apiFail(c, errs.New(errs.Malformed, "limit: want a whole number from 1 to %d", maxSubscriberLimit))
			return
		}
		f.Limit = n
	}
	if v := c.Query("cursor"); v != "" {
		if f.After, err = decodeSubscriberCursor(v); err != nil {
			s.apiFail(c, errs.New(errs.Malformed, "cursor: not one this API gave out"))
			return
		}
	}
	// One more than asked tells whether there is a next page.
	want := f.Limit
	f.Limit++
	subs, err := s.subscribers.List(c.Request.Context(), f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	page := subscribersPage{Subscribers: subs}
	if len(subs) > want {
		page.Subscribers = subs[:want]
		next := encodeSubscriberCursor(page.Subscribers[want-1].ID)
		page.NextCursor = &next
	}
	if page.Subscribers == nil {
		page.Subscribers = []domain.Subscriber{}
	}
	c.JSON(http.StatusOK, page)
}

// apiExportSubscribers streams every subscriber the filters select as
// CSV, in the shape POST /subscribers/import reads back.
func (s *Server) apiExportSubscribers(c *gin.Context) {
	f, err := s.subscriberFilter(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	extendDeadlines(c)
	started, err := s.subscribers.ExportCSV(c.Request.Context(), domain.APIActor, f, func() io.Writer {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="subscribers.csv"`)
		c.Status(http.StatusOK)
		return c.Writer
	})
	if err == nil {
		return
	}
	if !started {
		s.apiFail(c, err)
		return
	}
	// Half a file must not pass for a whole one: aborting the handler
	// breaks the chunked response, so the client sees a failed download.
	// Most often the client went away, so this is a warning, not an error.
	s.log.Warn("subscriber export stopped midway", "err", err)
	panic(http.ErrAbortHandler)
}

// subscriberFilter reads the status, country, topic, language and
// address parameters.
func (s *Server) subscriberFilter(c *gin.Context) (domain.SubscriberFilter, error) {
	return s.subscribers.Filter(c.Request.Context(), subscribers.Query{
		Status: c.Query("status"), Country: c.Query("country"), Topic: c.Query("topic"),
		Language: c.Query("language"), Address: c.Query("address"),
	})
}

// apiSubscriberAction unsubscribes, suppresses or erases one subscriber:
// POST /subscribers/{id}/unsubscribe|suppress|erase → 200 {id, status}.
func (s *Server) apiSubscriberAction(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil || id <= 0 {
			s.apiFail(c, errs.New(errs.NotFound, "subscriber not found"))
			return
		}
		if err := s.subscribers.Act(c.Request.Context(), domain.APIActor, id, action); err != nil {
			s.apiFail(c, err)
			return
		}
		status := map[string]string{domain.ActionUnsubscribe: domain.StatusUnsubscribed,
			domain.ActionSuppress: domain.StatusSuppressed, domain.ActionErase: domain.StatusErased}[action]
		c.JSON(http.StatusOK, gin.H{"id": id, "status": status})
	}
}

// extendDeadlines lifts the server's read and write timeouts for a bulk
// transfer; the request context still ends it if the client goes away.
func extendDeadlines(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	deadline := time.Now().Add(bulkDeadline)
	_ = rc.SetReadDeadline(deadline) // not every writer supports it (httptest); the defaults then apply
	_ = rc.SetWriteDeadline(deadline)
}

func encodeSubscriberCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("s" + strconv.FormatInt(id, 10)))
}

func decodeSubscriberCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	id, ok := strings.CutPrefix(string(b), "s")
	if !ok {
		return 0, errors.New("not a subscriber cursor")
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New("not a subscriber cursor")
	}
	return n, nil
}
