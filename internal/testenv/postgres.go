package testenv

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"newsdigest/internal/postgres"
)

// ErasureKey is the SECRET_KEY tests' databases hash erased addresses with.
var ErasureKey = []byte("testenv erasure key 4d1f9a0c7e2b")

// Database opens a throwaway database with every migration applied, closed
// and dropped when the test ends.
func Database(t testing.TB) *postgres.DB {
	t.Helper()
	return Open(t, DatabaseURL(t))
}

// Open opens the database at url (one DatabaseURL made, perhaps through a
// Proxy) and applies every migration; it is closed when the test ends.
func Open(t testing.TB, url string) *postgres.DB {
	t.Helper()
	return OpenKeyed(t, url, ErasureKey)
}

// OpenKeyed is Open with the given SECRET_KEY for erased addresses, and
// the keys it replaced (SECRET_KEY_PREVIOUS).
func OpenKeyed(t testing.TB, url string, secret []byte, previous ...[]byte) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, url, secret, previous...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	return db
}
