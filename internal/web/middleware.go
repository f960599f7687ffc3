package web

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/reqid"
)

// Content security policies. The pages' one stylesheet and one script
// (the forms' estimate, which asks /estimate) are files served by the app,
// so that no inline style or script need be allowed. img-src 'self' keeps
// the browser's own favicon request from showing up as a violation.
const (
	pagePolicy = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	// digestPolicy adds inline styles for /digest/…, which shows the
	// email's HTML as it is: email clients render only inline styles, so
	// that is all it has. Still no script.
	digestPolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; " +
		"base-uri 'none'; frame-ancestors 'none'"
)

// requestKey finds a request's record in its context.
type requestKey struct{}

// requestRecord is what the outermost layer learns from inside the
// router, which alone knows the route pattern.
type requestRecord struct {
	id    string
	route string
}

// track is the outermost layer. It gives every answer its request id and
// security headers and, once answered, logs one line and counts it. It
// wraps gin rather than running inside it so that the answers gin writes
// on its own (trailing-slash redirects) get the same treatment.
func (s *Server) track(next http.Handler) http.Handler {
	hsts := !s.cfg.PlaintextHTTP()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &requestRecord{id: s.requestID(r), route: unmatched}
		h := w.Header()
		h.Set("X-Request-ID", rec.id)
		h.Set("Content-Security-Policy", pagePolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Tokens are in the URLs, so no other site may see them; "no-referrer"
		// would also make browsers send "Origin: null" on our own forms, which
		// the CSRF check rightly refuses.
		h.Set("Referrer-Policy", "same-origin")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		sw := &statusWriter{ResponseWriter: w}
		// The id also goes with the request's context into the services, and
		// so into the tasks they queue (a sign-up's confirmation mail).
		ctx := context.WithValue(reqid.With(r.Context(), rec.id), requestKey{}, rec)
		next.ServeHTTP(sw, r.WithContext(ctx))

		d := time.Since(start)
		status := sw.status
		if status == 0 {
			status = http.StatusOK // what net/http sends for a handler that wrote nothing
		}
		s.metrics.observe(r.Method, rec.route, status, d)
		// The route pattern, never the path or query: those hold tokens
		// and, on a bad request, anything at all.
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", rec.id),
			slog.String("method", foldMethod(r.Method)),
			slog.String("route", rec.route),
			slog.Int("status", status),
			slog.Duration("duration", d))
	})
}

// routeOf tells track which route took the request; it runs first in
// gin, where NoRoute and NoMethod handlers leave the pattern empty.
func routeOf(c *gin.Context) {
	if p := c.FullPath(); p != "" {
		recordOf(c.Request).route = p
	}
	c.Next()
}

// requestIDOf is the request's id, for log lines about it.
func requestIDOf(r *http.Request) string { return recordOf(r).id }

// routeOfRequest is the request's route pattern, for log lines about it.
func routeOfRequest(r *http.Request) string { return recordOf(r).route }

// recordOf is what track put in the request's context (an empty record,
// route unmatched, outside it).
func recordOf(r *http.Request) *requestRecord {
	if rec, ok := r.Context().Value(requestKey{}).(*requestRecord); ok {
		return rec
	}
	return &requestRecord{route: unmatched}
}

// digestCSP gives /digest/… the policy its email HTML needs.
func digestCSP(c *gin.Context) {
	c.Header("Content-Security-Policy", digestPolicy)
	c.Next()
}

// requestID keeps the X-Request-ID a trusted proxy set, when it is short
// and plain, so one id follows the request through both; otherwise it
// makes one. A client's own id is never taken: it could pose as another
// request's in the log, or carry anything into it.
func (s *Server) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-ID"); validRequestID(id) && s.fromTrustedProxy(r) {
		return id
	}
	return rand.Text()
}

// maxRequestIDLen bounds an id taken from a proxy; a UUID fits.
const maxRequestIDLen = 64

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// fromTrustedProxy reports whether the peer is in TRUSTED_PROXIES.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ap.Addr().Unmap()) {
			return true
		}
	}
	return false
}

// statusWriter notes the status an answer was sent with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush passes on a flush, which gin's writer asks for by type assertion.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
