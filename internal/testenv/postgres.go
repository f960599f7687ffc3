package testenv

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"newsdigest/internal/postgres"
)

// Database opens a throwaway database with every migration applied, closed
// and dropped when the test ends.
func Database(t testing.TB) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	return db
}
