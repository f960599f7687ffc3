package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/bounce"
	"newsdigest/internal/bounce/webhook"
)

// BounceWebhooks are the relays whose bounce and complaint notices POST
// /webhooks/bounces/{provider} takes (Amazon SES through SNS, Mailgun),
// and where their events go (the editions service).
type BounceWebhooks struct {
	Providers []webhook.Provider
	Recorder  bounce.Recorder
}

// newBounceHandler verifies and records the relays' notices; the
// requests already taken are remembered in Redis, so that one replayed
// to another web process is caught too.
func (s *Server) newBounceHandler(b BounceWebhooks) (*webhook.Handler, error) {
	if b.Recorder == nil || len(b.Providers) == 0 {
		return nil, nil
	}
	return webhook.NewHandler(b.Recorder, webhook.NewRedisGuard(s.rdb, "newsdigest:webhook:"),
		webhook.Options{Logger: s.log}, b.Providers...)
}

// bounceWebhook answers a relay's notice: 200 once taken (or taken
// before), and for a refusal the status webhook.Status gives, with a
// JSON error naming what was wrong. A provider not configured is 404.
func (s *Server) bounceWebhook(c *gin.Context) {
	if s.bounces == nil {
		apiStatus(c, http.StatusNotFound, "not_found", "no bounce webhook is configured")
		return
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, webhook.DefaultMaxBodyBytes)
	n, err := s.bounces.Handle(c.Request.Context(), c.Param("provider"), c.Request.Header, body)
	if err != nil {
		status := webhook.Status(err)
		code := map[int]string{http.StatusNotFound: "not_found", http.StatusRequestEntityTooLarge: "too_large",
			http.StatusBadRequest: "invalid", http.StatusUnauthorized: "unauthorized", http.StatusForbidden: "forbidden",
		}[status]
		if code == "" {
			code = "unavailable"
		}
		apiStatus(c, status, code, webhook.Message(err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"recorded": n})
}
