package web

import (
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
	"newsdigest/internal/items"
)

// apiImport stores the items of a listing or a feed document: all of
// them, or none with the lines (entries, for a feed) that could not be
// read.
func (s *Server) apiImport(c *gin.Context) {
	mediaType, _, _ := mime.ParseMediaType(c.ContentType())
	format := items.FormatListing // no Content-Type: a listing, as curl --data-binary sends
	if mediaType != "" {
		format = items.FormatOf(mediaType)
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
	res, err := s.items.Import(c.Request.Context(), domain.APIActor, items.ImportSpec{Format: format, DateOrder: order}, body)
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
