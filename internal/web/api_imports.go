package web

import (
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
)

// importFormats maps the media types /imports accepts to what reads them.
// The generic XML and JSON types are taken too, since many servers and
// tools label feeds so; the body must then parse as a feed.
var importFormats = map[string]string{
	"text/plain":            "listing",
	"application/rss+xml":   "feed",
	"application/atom+xml":  "feed",
	"application/feed+json": "feed",
	"application/xml":       "feed",
	"text/xml":              "feed",
	"application/json":      "feed",
}

// apiImport stores the items of a listing or a feed document: all of
// them, or none with the lines (entries, for a feed) that could not be
// read.
func (s *Server) apiImport(c *gin.Context) {
	mediaType, _, _ := mime.ParseMediaType(c.ContentType())
	format := "listing" // no Content-Type: a listing, as curl --data-binary sends
	if mediaType != "" {
		format = importFormats[mediaType]
	}
	if format == "" {
		apiStatus(c, http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %q: send a listing as text/plain, or a feed as "+
				"application/rss+xml, application/atom+xml or application/feed+json", mediaType))
		return
	}
	// A listing's all-numeric dates (05/09/2018) are read in the order the
	// importer gives; without one, only those that cannot be misread.
	order, err := ingest.ParseDateOrder(c.Query("date_order"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, ingest.MaxListingBytes)
	var res ingest.Result
	if format == "feed" {
		res, err = s.importer.ImportFeed(c.Request.Context(), body, "")
	} else {
		res, err = s.importer.ImportListing(c.Request.Context(), body, ingest.WithDateOrder(order))
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = errs.New(errs.TooLarge, "%s larger than %d bytes", format, ingest.MaxListingBytes)
		}
		var e *errs.Error
		if errors.As(err, &e) && e.Kind == errs.Invalid {
			c.AbortWithStatusJSON(http.StatusUnprocessableEntity, gin.H{
				"error":  apiError{Code: string(errs.Invalid), Message: e.Message},
				"errors": e.Details,
			})
			return
		}
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
