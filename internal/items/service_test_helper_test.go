package items

import (
	"io"
	"log/slog"
	"testing"

	"newsdigest/internal/config"
	"newsdigest/internal/postgres"
	"newsdigest/internal/staff"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

// testService is the stories' service on a throwaway database, as the
// worker builds it: store is the database itself, or a wrapper of it (nil:
// the database), queue where it queues (nil: nowhere).
func testService(t *testing.T, wrap func(*postgres.DB) Store, queue tasks.Enqueuer) (*Service, *postgres.DB) {
	t.Helper()
	url := testenv.DatabaseURL(t)
	db := testenv.Open(t, url)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": url, "SECRET_KEY": "9b41e07c2fd35a86e1c47b20d9f3a65e"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	var store Store = db
	if wrap != nil {
		store = wrap(db)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(Deps{Config: cfg, Store: store, Queue: queue, Taxonomy: &taxonomy.Cache{Source: db}, Audit: staff.New(db, log), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}
