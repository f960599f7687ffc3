package postgres_test

import (
	"context"
	"strings"
	"testing"

	"newsdigest/internal/testenv"
)

// TestSchemaSaysWhetherTheDatabaseIsBehind: a database lacking any
// migration this binary embeds (none applied, the latest not yet, one
// below its latest) is behind, and the error says where it stands; one
// that also has a newer version's migrations (a rolling upgrade's older
// process beside it) is not. Reading it changes nothing.
func TestSchemaSaysWhetherTheDatabaseIsBehind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	current := testenv.Database(t)
	s, err := current.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Behind() || s.Err() != nil || s.Current != s.Latest || s.Latest < 62 {
		t.Fatalf("a migrated database: %+v (%v), want current at the latest", s, s.Err())
	}
	latest := s.Latest

	for _, tc := range []struct {
		what, sql string
		behind    bool
		current   int64
		says      string
	}{
		{"none applied", `DROP SCHEMA public CASCADE; CREATE SCHEMA public`, true, 0, "not migrated"},
		{"the latest not yet", `DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`,
			true, latest - 1, "needs"},
		{"one below the latest", `DELETE FROM goose_db_version WHERE version_id = 11`, true, latest, "lacks migration 11"},
		{"a newer version's applied", `INSERT INTO goose_db_version (version_id, is_applied) SELECT max(version_id) + 1, true FROM goose_db_version`,
			false, latest + 1, ""},
	} {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			db := testenv.Database(t)
			if _, err := db.Pool().Exec(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			s, err := db.Schema(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if s.Behind() != tc.behind || s.Current != tc.current || s.Latest != latest {
				t.Errorf("schema %+v, want behind %v at %d of %d", s, tc.behind, tc.current, latest)
			}
			if err := s.Err(); (err != nil) != tc.behind || err != nil && !strings.Contains(err.Error(), tc.says) {
				t.Errorf("Err() = %v, want one saying %q", err, tc.says)
			}
			var table bool
			if err := db.Pool().QueryRow(ctx, `SELECT to_regclass('goose_db_version') IS NOT NULL`).Scan(&table); err != nil {
				t.Fatal(err)
			}
			if table != (tc.current > 0) {
				t.Errorf("goose_db_version exists: %v after reading the schema", table)
			}
		})
	}
}
