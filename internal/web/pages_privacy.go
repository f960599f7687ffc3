package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// exportRequest is the preferences page's "your data" link. The token in
// it is no proof of who is asking (links get forwarded), so the copy of
// the data is not given here: a link that downloads it is mailed to the
// address, short-lived and single-use (exportDownload), and this page
// says so. A request within a few minutes of the last mails nothing more.
func (s *Server) exportRequest(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	r, err := s.subscribers.RequestExport(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, r.Subscriber.Language)
	c.Header("Cache-Control", "no-store")
	back := "/preferences/" + tok + "?lang=" + lang // where they came from
	if r.Unmailable {
		s.renderPageStatus(c.Writer, c.Request, http.StatusConflict, "message", pageData{Lang: lang,
			Title: msg(lang, "privacy_export_title"), Message: msg(lang, "privacy_export_unmailable"), Link: back})
		return
	}
	s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "check_inbox_title"),
		Message: fmt.Sprintf(msg(lang, "privacy_export_sent"), int(domain.ExportLinkTTL.Minutes())), Link: back})
}

// exportPage is where the mailed link leads: for a browser, a page with
// one button that downloads the data (exportDownload). Opening it spends
// nothing, so a mail scanner that fetches the link on arrival as a
// browser does (Safe Links, Proofpoint) leaves it working for the
// person. A client that does not ask for a page (no text/html in its
// Accept: curl, a script following the link) gets the data at once, as
// the link has always given it. A link used, run out or unknown gets the
// "link no longer works" page at once.
func (s *Server) exportPage(c *gin.Context) {
	if !acceptsHTML(c.Request) {
		s.exportDownload(c)
		return
	}
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	sub, err := s.subscribers.ByExportLink(c.Request.Context(), tok)
	if err != nil {
		s.exportFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	c.Header("Cache-Control", "no-store")
	s.renderPage(c, "export", pageData{Lang: lang, Title: msg(lang, "privacy_export_title"), Action: "/export/" + tok})
}

// exportDownload is the export page's button: it spends the link and
// gives everything stored about the person as a JSON file to keep, once.
// The answer is never cached on the way; a link used, run out or unknown
// gets the "link no longer works" page.
func (s *Server) exportDownload(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	data, err := s.subscribers.ExportByLink(c.Request.Context(), tok)
	if err != nil {
		s.exportFail(c, lang, err)
		return
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="newsdigest-data.json"`)
	h.Set("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	c.Writer.Write(append(body, '\n'))
}

// exportFail answers an export link that does not work: one used or run
// out is said to be so, with where to ask for another, rather than with
// the general dead link's offer to subscribe again.
func (s *Server) exportFail(c *gin.Context, lang string, err error) {
	if !errs.Is(err, errs.NotFound) {
		s.pageFail(c, lang, err)
		return
	}
	s.renderPageStatus(c.Writer, c.Request, http.StatusNotFound, "error",
		pageData{Lang: lang, Title: msg(lang, "export_gone_title"), Message: msg(lang, "export_gone")})
	c.Abort()
}

// deletePage says what deleting one's data does, with one button to do it.
func (s *Server) deletePage(c *gin.Context) {
	tok, sub, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	// Action is the preferences page; the template adds /delete to it
	// for the form, with the language, so the answer is in the page's.
	s.renderPage(c, "privacy_delete", pageData{Lang: lang, Title: msg(lang, "privacy_delete_title"), Email: sub.Email,
		Action: "/preferences/" + tok})
}

// deletePost erases the person, as an editor's erasure does, at their own
// request. Once done the token no longer works, so a second press is the
// "link no longer works" page.
func (s *Server) deletePost(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	sub, err := s.subscribers.EraseOwnData(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	s.renderPage(c, "privacy_deleted", pageData{Lang: lang, Title: msg(lang, "privacy_deleted_title")})
}

// acceptsHTML reports whether r asks for a page: a browser's Accept
// names text/html (or any text, or XHTML), not refused with q=0.
func acceptsHTML(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mediaType, params, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(mediaType)) {
		case "text/html", "text/*", "application/xhtml+xml":
			if !refused(params) {
				return true
			}
		}
	}
	return false
}

// refused reports whether a media range's parameters give it q=0.
func refused(params string) bool {
	for _, p := range strings.Split(params, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err == nil && q == 0
		}
	}
	return false
}
