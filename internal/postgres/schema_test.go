package postgres_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"newsdigest/internal/testenv"
)

// TestSchemaSaysWhetherTheDatabaseIsBehind: a database lacking any
// migration this binary embeds (none applied, the latest not yet, one
// below its latest) is behind, and the error says where it stands; one
// that also has a newer version's migrations (a rolling upgrade's older
// process beside it, or one rolled back) is not, but ahead, which start
// and web migrate warn of. Reading it changes nothing.
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
			if ahead := tc.current > latest; s.Ahead() != ahead || (s.AheadWarning() != "") != ahead {
				t.Errorf("ahead %v, warning %q; want ahead %v", s.Ahead(), s.AheadWarning(), ahead)
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

// TestMigrateSaysWhereTheDatabaseStands: web migrate says the version it
// leaves the database at, even when it had nothing to apply, and warns
// when a newer version's migrations are there (an older version started
// on a newer schema after a rollback).
func TestMigrateSaysWhereTheDatabaseStands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	var out strings.Builder
	log := slog.New(slog.NewTextHandler(&out, nil))
	if err := db.Migrate(ctx, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `msg="database migrated" database_version=`) || strings.Contains(out.String(), "level=WARN") {
		t.Errorf("web migrate on a migrated database said: %s", out.String())
	}
	if _, err := db.Pool().Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied) SELECT max(version_id) + 1, true FROM goose_db_version`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := db.Migrate(ctx, log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "level=WARN") || !strings.Contains(out.String(), "newer than this version's latest") {
		t.Errorf("web migrate on a newer version's schema said: %s", out.String())
	}
}
