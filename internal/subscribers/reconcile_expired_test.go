package subscribers_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/subscribers"
	"newsdigest/internal/testenv"
)

// TestReconcileForgetsWhatHasExpired: what is kept for a time (an
// import's draft, a test send a lost task left, a test-send form's key,
// an ended console session, a message's clicks) is deleted by the
// worker's reconcile once its time is up. It used to go only with the
// next write of its kind: a desk that previewed one subscriber list and
// never another import kept those addresses for good, out of reach of
// an erasure; with click counting turned off the nonces stayed too.
func TestReconcileForgetsWhatHasExpired(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	exec := func(sql string) {
		t.Helper()
		if _, err := db.Pool().Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// Each kind twice: one past its time, one within it.
	exec(`INSERT INTO import_drafts (kind, body, created_by, created_at) VALUES
		('subscribers', convert_to('email,countries,topics,language' || chr(10) || 'old@example.org,,,en', 'UTF8'), 'old', now() - interval '25 hours'),
		('subscribers', convert_to('email,countries,topics,language' || chr(10) || 'new@example.org,,,en', 'UTF8'), 'new', now() - interval '1 hour')`)
	exec(`INSERT INTO test_sends (filter, recipient, created_by, created_at) VALUES
		('{}', 'old@example.org', 'old', now() - interval '25 hours'),
		('{}', 'new@example.org', 'new', now() - interval '1 hour')`)
	exec(`INSERT INTO test_send_keys (created_by, key, created_at) VALUES
		('admin', 'old', now() - interval '25 hours'), ('admin', 'new', now() - interval '1 hour')`)
	exec(`INSERT INTO admin_sessions (token_hash, owner_key, expires_at) VALUES
		('old', 'k', now() - interval '1 minute'), ('new', 'k', now() + interval '1 hour')`)
	exec(`INSERT INTO click_nonces (nonce_hash, first_at) VALUES
		('old', now() - interval '31 days'), ('new', now() - interval '29 days')`)

	svc := subscribers.New(subscribers.Deps{Store: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	svc.Reconcile(ctx)

	for _, c := range []struct{ table, kept string }{
		{"import_drafts", `created_by`},
		{"test_sends", `created_by`},
		{"test_send_keys", `key`},
		{"admin_sessions", `convert_from(token_hash, 'UTF8')`},
		{"click_nonces", `convert_from(nonce_hash, 'UTF8')`},
	} {
		rows, err := db.Pool().Query(ctx, `SELECT `+c.kept+` FROM `+c.table+` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		kept, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if len(kept) != 1 || kept[0] != "new" {
			t.Errorf("%s after the reconcile: %q, want only the row within its time", c.table, kept)
		}
	}
}
