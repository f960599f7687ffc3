package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/config"
)

// WebRoutes lists the routes web serves with cfg, its server built as Run
// builds it (on cfg's database, already migrated): the route access test
// must see the routes the binary serves, settings-dependent ones included.
func WebRoutes(t testing.TB, cfg *config.Config, log *slog.Logger) gin.RoutesInfo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := OpenDatabase(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	redis, err := RedisOpt(cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	queue := asynq.NewClient(redis)
	defer queue.Close()
	m := &Web{Config: cfg, Log: log}
	srv, err := m.newServer(db, queue, redis, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	return srv.Routes()
}
