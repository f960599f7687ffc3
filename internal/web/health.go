package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz checks the two services the app cannot work without.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := gin.H{"postgres": "ok", "redis": "ok"}
	ready := true
	if err := s.db.Ping(ctx); err != nil {
		checks["postgres"], ready = "unavailable", false
	}
	if err := s.ping.Ping(ctx).Err(); err != nil {
		checks["redis"], ready = "unavailable", false
	}
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": ready, "checks": checks})
}

// newPingClient makes the one Redis client readiness checks share. Made
// once, so a check does not open a connection of its own; and bound by
// the check's context, so a check that gives up leaves nothing behind
// still waiting on Redis.
func newPingClient(redisURL string) (*redis.Client, error) {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	opt.ContextTimeoutEnabled = true
	opt.MaxRetries = -1 // one try: the answer is about now
	opt.PoolSize = 2
	return redis.NewClient(opt), nil
}
