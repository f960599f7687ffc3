package web

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

// formBody guards the CSRF-protected forms. It must run before the CSRF
// check, which parses the form itself to find the token: a limit set
// later by the handler comes too late, and a multipart body parsed there
// is spooled to temporary files that nothing removes (the check parses a
// copy of the request, which net/http does not clean up). So only a
// urlencoded body is accepted, the only kind the pages' forms send, and it
// is read here, within maxFormBody, into memory.
func (s *Server) formBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			c.Next() // no form is read on these
			return
		}
		if mediaType(c.Request) != "application/x-www-form-urlencoded" {
			s.bodyRefused(c, http.StatusUnsupportedMediaType)
			return
		}
		body, ok := s.readBounded(c)
		if !ok {
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		c.Request.ContentLength = int64(len(body))
		c.Next()
	}
}

// oneClickBody serves RFC 8058 one-click unsubscribe. Mail providers post
// "List-Unsubscribe=One-Click" urlencoded or as multipart/form-data, but
// the token in the URL is the whole proof: the body is read within
// maxFormBody and dropped, and the request marked as parsed, so that
// nothing after this reads a multipart body onto the disk.
func (s *Server) oneClickBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		if _, ok := s.readBounded(c); !ok {
			return
		}
		r := c.Request
		r.Body, r.ContentLength = http.NoBody, 0
		r.PostForm = url.Values{}
		r.MultipartForm = &multipart.Form{Value: map[string][]string{}, File: map[string][]*multipart.FileHeader{}}
		c.Next()
	}
}

// readBounded reads the whole body if it is at most maxFormBody bytes;
// otherwise, or when it cannot be read, it answers and returns false.
// A declared length over the limit is refused before a byte is read.
func (s *Server) readBounded(c *gin.Context) ([]byte, bool) {
	if c.Request.ContentLength > maxFormBody {
		s.bodyRefused(c, http.StatusRequestEntityTooLarge)
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxFormBody+1))
	if err != nil {
		c.AbortWithStatus(http.StatusBadRequest) // the client broke off or sent a broken chunk
		return nil, false
	}
	if len(body) > maxFormBody {
		s.bodyRefused(c, http.StatusRequestEntityTooLarge)
		return nil, false
	}
	return body, true
}

// mediaType is the request's Content-Type without parameters, lower-cased.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// bodyRefused answers a post refused for its size (413) or its kind (415).
func (s *Server) bodyRefused(c *gin.Context, status int) {
	lang := pageLang(c.Request, "")
	key := "body_too_large"
	if status == http.StatusUnsupportedMediaType {
		key = "body_not_form"
	}
	s.renderPageStatus(c.Writer, c.Request, status, "error", pageData{Lang: lang, Message: msg(lang, key)})
	c.Abort()
}
