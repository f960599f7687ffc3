package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// Drain makes /readyz fail from now on: the process is shutting down,
// and a load balancer should send it nothing more.
func (s *Server) Drain() { s.draining.Store(true) }

// readyz checks the two services the app cannot work without (and that
// the database holds the migrations this version needs), and fails at
// once when the process is shutting down.
func (s *Server) readyz(c *gin.Context) {
	if s.draining.Load() {
		c.JSON(http.StatusServiceUnavailable, gin.H{"ready": false, "draining": true})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	// The answer names no cause (anyone who reaches it reads it): the
	// log does, for the operator.
	res := s.checks.Run(ctx)
	status := http.StatusOK
	if !res.Ready() {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": res.Ready(), "checks": gin.H{"postgres": res.Postgres, "redis": res.Redis}})
}

// newRedisClient makes the one Redis client that readiness checks and
// sign-up limits share (the queue has its own). Both wait on it in a
// request, so it fails fast: short timeouts, and bound by the request's
// context, so that a check that gives up leaves nothing waiting on Redis.
func newRedisClient(cfg *config.Config) (redis.UniversalClient, error) {
	r := cfg.Redis
	if r == nil {
		var err error
		if r, err = config.ParseRedis(cfg.RedisURL); err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
	}
	return r.Client(), nil
}
