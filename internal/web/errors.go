package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/errs"
)

// statusOf is the HTTP status for an error kind.
func statusOf(k errs.Kind) int { return errs.HTTPStatus(k) }

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiFail answers a JSON error. Internal errors are logged and shown only
// as "internal error": no stack trace or SQL reaches a client.
func (s *Server) apiFail(c *gin.Context, err error) {
	kind := errs.KindOf(err)
	status := statusOf(kind)
	if kind == errs.Internal || kind == errs.Unavailable {
		s.log.Error("request failed", "request_id", requestIDOf(c.Request), "route", routeOfRequest(c.Request), "err", err)
	}
	c.AbortWithStatusJSON(status, gin.H{"error": apiError{Code: string(kind), Message: errs.MessageOf(err)}})
}

// apiStatus answers a JSON error with an explicit status and code.
func apiStatus(c *gin.Context, status int, code, message string) {
	c.AbortWithStatusJSON(status, gin.H{"error": apiError{Code: code, Message: message}})
}

// requireAdmin lets through only requests bearing ADMIN_TOKEN; with no
// token configured it refuses everything. The scheme name is matched
// case-insensitively, as RFC 7235 says.
func (s *Server) requireAdmin() gin.HandlerFunc {
	want := sha256.Sum256([]byte(s.cfg.AdminToken))
	return func(c *gin.Context) {
		if s.cfg.AdminToken == "" {
			apiStatus(c, http.StatusUnauthorized, "unauthorized", "the admin API is disabled: ADMIN_TOKEN is not set")
			return
		}
		scheme, got, ok := strings.Cut(c.GetHeader("Authorization"), " ")
		// Both sides hashed first: ConstantTimeCompare answers at once
		// for inputs of different lengths, which would tell the token's.
		sent := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sent[:], want[:]) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="newsdigest"`)
			apiStatus(c, http.StatusUnauthorized, "unauthorized", "missing or wrong bearer token")
			return
		}
		c.Next()
	}
}

// recoverer turns a panic into a 500 without showing it.
func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				s.log.Error("panic", "request_id", requestIDOf(c.Request), "route", routeOfRequest(c.Request), "panic", v)
				if jsonPath(c.Request.URL.Path) {
					apiStatus(c, http.StatusInternalServerError, string(errs.Internal), "internal error")
				} else {
					c.AbortWithStatus(http.StatusInternalServerError)
				}
			}
		}()
		c.Next()
	}
}

// notFound answers an address no route takes: the API and the webhooks
// in the JSON error shape, the console with its own page, the rest with the public one.
func (s *Server) notFound(c *gin.Context) {
	if jsonPath(c.Request.URL.Path) {
		apiStatus(c, http.StatusNotFound, string(errs.NotFound), "no such endpoint")
		return
	}
	if consolePath(c.Request.URL.Path) {
		s.console.NotFound(c)
		return
	}
	s.renderPageStatus(c.Writer, c.Request, http.StatusNotFound, "error", pageData{
		Lang: pageLang(c.Request, ""), Message: msg(pageLang(c.Request, ""), "not_found"),
	})
}

// readerPages are the address prefixes of the public pages whose forms
// POST to an address of their own.
var readerPages = []string{"/subscribe", "/confirm/", "/preferences/", "/unsubscribe/", "/export/"}

// methodNotAllowed answers a method a route does not take. A reader who
// opens a form's address as a page (a bookmark of "check your inbox", a
// link shared from the address bar) gets a page in their language that
// says so and leads on; the API and the webhooks answer in the JSON
// error shape, as they do every error; the console with its own page (a GET of its forms'
// addresses is a route of its own); the probes keep gin's plain answer.
func (s *Server) methodNotAllowed(c *gin.Context) {
	path := c.Request.URL.Path
	if jsonPath(path) {
		apiStatus(c, http.StatusMethodNotAllowed, "method_not_allowed",
			"method not allowed; this call takes "+c.Writer.Header().Get("Allow"))
		return
	}
	if consolePath(path) {
		s.console.MethodNotAllowed(c)
		return
	}
	reader := false
	for _, p := range readerPages {
		reader = reader || strings.HasPrefix(path, p)
	}
	if !reader || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		c.String(http.StatusMethodNotAllowed, "405 method not allowed")
		return
	}
	lang := pageLang(c.Request, "")
	s.renderPageStatus(c.Writer, c.Request, http.StatusMethodNotAllowed, "error", pageData{
		Lang: lang, Message: msg(lang, "form_address"),
		LangLinks: answerLanguageLinks(&http.Request{Method: http.MethodPost, URL: c.Request.URL}),
	})
}

// jsonPath reports whether path is answered in JSON, errors included:
// the API's, and the relays' webhooks, whose callers are programs that
// log what they get back.
func jsonPath(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/webhooks/")
}

// consolePath reports whether path is the console's.
func consolePath(path string) bool {
	return path == "/admin" || strings.HasPrefix(path, "/admin/")
}
