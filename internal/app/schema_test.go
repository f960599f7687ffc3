package app_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

// readyzSays is /readyz's answer: its status and what it says of
// PostgreSQL.
func readyzSays(t *testing.T, readyz string) (int, string) {
	t.Helper()
	resp, body := get(t, "GET", readyz, nil)
	var ready struct {
		Checks map[string]string `json:"checks"`
	}
	mustJSON(t, []byte(body), &ready)
	return resp.StatusCode, ready.Checks["postgres"]
}

// TestWorkerWaitsForTheMigrations: a worker started on a database that
// lacks migrations it needs (none applied, or not the latest) does not
// start its work: it says in its log where the database stands and that
// web migrate must run, /readyz says the migrations are pending, and
// `worker check` fails naming that, until the database is migrated; then
// it starts by itself.
func TestWorkerWaitsForTheMigrations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		what      string
		undo, fix func(t *testing.T, ctx context.Context, url string)
		says      string
	}{
		{"none applied",
			func(t *testing.T, ctx context.Context, url string) {
				execSQL(t, ctx, url, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`)
			},
			func(t *testing.T, ctx context.Context, url string) {
				testenv.Open(t, url) // migrates, as web migrate does
			},
			"not migrated"},
		{"not the latest",
			func(t *testing.T, ctx context.Context, url string) {
				execSQL(t, ctx, url, holdLatestMigration)
			},
			func(t *testing.T, ctx context.Context, url string) {
				// The latest migration's record comes back, as applying it
				// would write it.
				execSQL(t, ctx, url, restoreLatestMigration)
			},
			"this version needs"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := testenv.DatabaseURL(t)
			tc.undo(t, ctx, url)
			cfg := startupConfig(t, url, nil)
			logs := &testenv.Output{}
			log := slog.New(slog.NewTextHandler(logs, nil))
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("log:\n%s", logs)
				}
			})
			base := runWorker(t, cfg, log)

			waitFor(t, 30*time.Second, "the worker does not say it waits for the migrations", func() bool {
				return strings.Contains(logs.String(), "waiting for the database to be migrated")
			})
			for _, want := range []string{tc.says, "web migrate", "database_version=", "needed_version="} {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("the worker's log does not say %q", want)
				}
			}
			if status, pg := readyzSays(t, base+"/readyz"); status != http.StatusServiceUnavailable || pg != "migrations pending" {
				t.Errorf("/readyz while the database is behind: %d, postgres %q; want 503, migrations pending", status, pg)
			}
			if resp, _ := get(t, "GET", base+"/healthz", nil); resp.StatusCode != http.StatusOK {
				t.Errorf("/healthz while the database is behind: %d, want 200", resp.StatusCode)
			}
			if err := app.Check(ctx, cfg); err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("worker check while the database is behind: %v, want an error saying %q", err, tc.says)
			}
			if strings.Contains(logs.String(), "worker started") {
				t.Fatal("the worker started its work on a database behind its migrations")
			}

			tc.fix(t, ctx, url)
			untilReady(t, base+"/readyz", "once the database is migrated")
			waitFor(t, 30*time.Second, "the worker does not start once the database is migrated", func() bool {
				return strings.Contains(logs.String(), "worker started")
			})
			if err := app.Check(ctx, cfg); err != nil {
				t.Errorf("worker check once the database is migrated: %v", err)
			}
		})
	}
}

// TestAnOlderWorkerRunsOnANewerSchema: during a rolling upgrade, a worker
// of the older version runs beside the new ones on the schema they
// migrated: a database with migrations newer than the worker's is ready.
func TestAnOlderWorkerRunsOnANewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	execSQL(t, ctx, url, `INSERT INTO goose_db_version (version_id, is_applied)
		SELECT max(version_id) + 1, true FROM goose_db_version`)
	cfg := startupConfig(t, url, nil)
	base := runWorker(t, cfg, slog.New(slog.DiscardHandler))
	untilReady(t, base+"/readyz", "on a newer schema")
	if err := app.Check(ctx, cfg); err != nil {
		t.Errorf("worker check on a newer schema: %v", err)
	}
}

// TestWebReadinessFollowsTheSchema: web migrates at start; should its
// database then lack a migration it needs (a restore of an older dump
// under it), /readyz says the migrations are pending until it has them.
func TestWebReadinessFollowsTheSchema(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil)
	ctx := context.Background()
	url := w.cfg.DatabaseURL
	execSQL(t, ctx, url, holdLatestMigration)
	if status, pg := readyzSays(t, w.base+"/readyz"); status != http.StatusServiceUnavailable || pg != "migrations pending" {
		t.Errorf("/readyz with the latest migration missing: %d, postgres %q; want 503, migrations pending", status, pg)
	}
	execSQL(t, ctx, url, restoreLatestMigration)
	untilReady(t, w.base+"/readyz", "once the database is migrated again")
}

// holdLatestMigration takes the latest migration's record out of a
// database, as if it lacked that migration; restoreLatestMigration puts
// it back, as applying the migration would write it.
const (
	holdLatestMigration = `CREATE TABLE held_goose_row AS SELECT * FROM goose_db_version
		WHERE version_id = (SELECT max(version_id) FROM goose_db_version);
		DELETE FROM goose_db_version WHERE id = (SELECT id FROM held_goose_row)`
	restoreLatestMigration = `INSERT INTO goose_db_version SELECT * FROM held_goose_row; DROP TABLE held_goose_row`
)

// runWorker runs a worker on cfg, logging to log, with its probes on a
// listener of its own, until the test ends; it returns the probes' base
// URL.
func runWorker(t *testing.T, cfg *config.Config, log *slog.Logger) string {
	t.Helper()
	ml := listenLoopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		opts := testWorkerOptions()
		opts.Registry = prometheus.NewRegistry()
		done <- (&app.Worker{Config: cfg, Log: log, Options: opts, MetricsListener: ml}).Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker stopped with %v", err)
		}
	})
	return "http://" + ml.Addr().String()
}

// execSQL runs sql on the database at url, on a connection of its own
// (testenv.Open would migrate the database).
func execSQL(t *testing.T, ctx context.Context, url, sql string) {
	t.Helper()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}
