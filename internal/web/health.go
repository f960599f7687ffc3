package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"
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
	if err := pingRedis(ctx, s.redis); err != nil {
		checks["redis"], ready = "unavailable", false
	}
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": ready, "checks": checks})
}

func pingRedis(ctx context.Context, opt asynq.RedisConnOpt) error {
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	done := make(chan error, 1)
	go func() { _, err := insp.Queues(); done <- err }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
