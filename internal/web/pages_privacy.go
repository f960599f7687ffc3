package web

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

// exportData gives a subscriber everything stored about them, as a JSON
// file to keep. The token in the URL is the proof, as on the preferences
// page that links here; the answer is never cached on the way.
func (s *Server) exportData(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	data, err := s.desk.PersonalData(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
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
	sub, err := s.desk.EraseOwnData(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	s.renderPage(c, "privacy_deleted", pageData{Lang: lang, Title: msg(lang, "privacy_deleted_title")})
}
