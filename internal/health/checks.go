package health

import (
	"context"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// Checks are the readiness checks web and the worker answer /readyz
// with: PostgreSQL answers and holds the migrations this version needs,
// and Redis answers. Each finding goes to the Reporter, cause and all;
// the answer names only the check.
type Checks struct {
	ping, migrated func(context.Context) error
	rdb            redis.UniversalClient
	dials          *RedisDials
	report         *Reporter
}

// NewChecks returns the checks of the database (ping; migrated, nil: not
// checked) and of rdb, logging to log. It hooks rdb to remember why it
// last failed to connect (RedisDials), which a check that times out does
// not see.
func NewChecks(log *slog.Logger, ping, migrated func(context.Context) error, rdb redis.UniversalClient) *Checks {
	dials := &RedisDials{}
	rdb.AddHook(dials)
	return &Checks{ping: ping, migrated: migrated, rdb: rdb, dials: dials, report: NewReporter(log, 0)}
}

// Result is what the checks found, as /readyz names it: "ok",
// "unavailable", or for PostgreSQL "migrations pending".
type Result struct {
	Postgres, Redis string
}

// Ready reports whether every check passed.
func (r Result) Ready() bool { return r.Postgres == "ok" && r.Redis == "ok" }

// Run runs the checks within ctx.
func (c *Checks) Run(ctx context.Context) Result {
	res := Result{Postgres: "ok", Redis: "ok"}
	pg := c.ping(ctx)
	if pg != nil {
		res.Postgres = "unavailable"
	} else if c.migrated != nil {
		if pg = c.migrated(ctx); pg != nil {
			res.Postgres = "migrations pending"
		}
	}
	rd := c.dials.Explain(c.rdb.Ping(ctx).Err())
	if rd != nil {
		res.Redis = "unavailable"
	}
	c.report.Report("postgres", pg)
	c.report.Report("redis", rd)
	return res
}
