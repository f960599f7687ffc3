package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/health"
	"newsdigest/internal/metrics"
	"newsdigest/internal/postgres"
	"newsdigest/internal/tasks"
)

// registerWorkerGauges makes the worker's registry report, when scraped,
// the queues' depth (from Redis) and the recent editions' progress (from
// PostgreSQL).
func registerWorkerGauges(reg prometheus.Registerer, insp *asynq.Inspector, svc *services) error {
	queues := make([]string, 0, len(tasks.Queues))
	for q := range tasks.Queues {
		queues = append(queues, q)
	}
	err := metrics.RegisterQueueDepth(reg, queues, func(q string) (map[string]int, error) {
		info, err := insp.GetQueueInfo(q)
		if errors.Is(err, asynq.ErrQueueNotFound) {
			return map[string]int{}, nil // nothing queued there yet
		}
		if err != nil {
			return nil, err
		}
		return map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived}, nil
	})
	if err != nil {
		return err
	}
	return metrics.RegisterEditionProgress(reg, svc.editions.Watched)
}

// workerProbes serves the worker's metrics at /metrics and, beside them,
// /healthz (the process answers) and /readyz (PostgreSQL and Redis
// answer within 2 s, and the database holds the migrations this version
// needs), for an orchestrator's probes. Their answers name no cause;
// log does, once as a check starts failing and when it passes again.
func workerProbes(db *postgres.DB, rdb redis.UniversalClient, metricsHandler http.Handler, log *slog.Logger) http.Handler {
	checks := health.NewChecks(log, db.Ping, migrated(db), rdb)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		// Redis is asked on a client of its own (rdb), whose calls end
		// with ctx: the queue's inspector takes no context, and would wait for its own
		// timeouts (to dial 5 s, to read 3 s) past the 2 s promised.
		res := checks.Run(ctx)
		w.Header().Set("Content-Type", "application/json")
		if !res.Ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		w.Write([]byte(`{"ready":` + map[bool]string{true: "true", false: "false"}[res.Ready()] +
			`,"checks":{"postgres":"` + res.Postgres + `","redis":"` + res.Redis + `"}}` + "\n"))
	})
	return mux
}
