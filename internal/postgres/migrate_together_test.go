package postgres_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"newsdigest/internal/testenv"
)

// TestMigrateFromSeveralProcessesAtOnce: web replicas and `web migrate`
// starting together on an empty database (a deploy, a restore) each run
// the migrations; the advisory lock has them take turns, so every one
// succeeds and each migration is applied once.
func TestMigrateFromSeveralProcessesAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	first := testenv.Open(t, url)
	if _, err := first.Pool().Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	const processes = 4
	var wg sync.WaitGroup
	errs := make([]error, processes)
	for i := range processes {
		db := testenv.Open(t, url) // a pool of its own, as each process has
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Migrate(ctx, slog.New(slog.DiscardHandler))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	var applied, distinct int
	if err := first.Pool().QueryRow(ctx, `SELECT count(*), count(DISTINCT version_id) FROM goose_db_version
		WHERE version_id > 0`).Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied == 0 || applied != distinct {
		t.Errorf("goose_db_version holds %d rows of %d migrations: want each once", applied, distinct)
	}
}
