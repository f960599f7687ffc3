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

// apiImport stores the items of a listing: all of them, or none with the
// lines that could not be read.
func (s *Server) apiImport(c *gin.Context) {
	mediaType, _, _ := mime.ParseMediaType(c.ContentType())
	if mediaType != "" && mediaType != "text/plain" {
		apiStatus(c, http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %q: send a listing as text/plain", mediaType))
		return
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, ingest.MaxListingBytes)
	res, err := s.importer.ImportListing(c.Request.Context(), body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = errs.New(errs.TooLarge, "listing larger than %d bytes", ingest.MaxListingBytes)
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
