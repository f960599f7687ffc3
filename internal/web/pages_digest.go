package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/errs"
	"newsdigest/internal/token"
)

// digestPage shows a digest of an edition on the web: every story, whole.
// Emails link here when they hold only part of a long week, and for
// summaries cut short. The token in the address is the digest's view
// token, which opens this page and nothing else: it names no reader and
// the page has no reader's links (preferences, unsubscribe), so a reader
// may forward it.
func (s *Server) digestPage(c *gin.Context) {
	lang := pageLang(c.Request, "")
	id, err := strconv.ParseInt(c.Param("edition"), 10, 64)
	tok := c.Param("token")
	if s.testSendLink(c, lang, tok) {
		return
	}
	if err != nil || !token.Valid(tok) {
		s.pageFail(c, lang, errs.New(errs.NotFound, "digest not found"))
		return
	}
	m, err := s.editions.WebDigest(c.Request.Context(), id, tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Robots-Tag", "noindex")
	c.Data(http.StatusOK, "text/html; charset=utf-8", withMain(m.HTML))
}

// withMain wraps the body of the email's HTML in a <main> landmark, so a
// screen reader can jump to the digest on the web page. The email itself
// keeps its table layout untouched: mail clients know nothing of landmarks.
func withMain(page string) []byte {
	bodyAt := strings.Index(page, "<body")
	bodyEnd := strings.LastIndex(page, "</body>")
	if bodyAt < 0 || bodyEnd < bodyAt {
		return []byte(page)
	}
	end := strings.IndexByte(page[bodyAt:], '>')
	if end < 0 || bodyAt+end >= bodyEnd {
		return []byte(page)
	}
	start := bodyAt + end + 1
	return []byte(page[:start] + "<main>" + page[start:bodyEnd] + "</main>" + page[bodyEnd:])
}
