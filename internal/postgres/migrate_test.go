package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

// TestMigrateRefusesAMigrationOutOfOrder: a database that lacks a
// migration lower than the latest it has (a branch merged late) is
// refused with an error naming the migration, and nothing is applied:
// the migration was written against the schema before the later ones.
func TestMigrateRefusesAMigrationOutOfOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	// Migration 11 undone and forgotten, 12 still applied.
	if _, err := db.Pool().Exec(ctx, `ALTER TABLE deliveries DROP COLUMN failure;
		DELETE FROM goose_db_version WHERE version_id = 11`); err != nil {
		t.Fatal(err)
	}
	err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "11") {
		t.Fatalf("migrate with migration 11 missing below 12: %v, want a refusal naming 11", err)
	}
	var applied bool
	if err := db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_name = 'deliveries' AND column_name = 'failure')`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied {
		t.Error("migration 11 was applied out of order")
	}
}

// TestStoredTaxonomyIsTheDefault: once migrated, a new database holds the
// taxonomy the code ships (taxonomy.Default), which migration 2 writes out
// as SQL so that storage applies it without a package of logic. A change
// to the default that no migration brings to the databases fails here.
func TestStoredTaxonomyIsTheDefault(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	v, err := db.Vocabulary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := taxonomy.Default()
	if diff := cmp.Diff(domain.Vocabulary{Countries: want.Countries, Regions: want.Regions, Topics: want.Topics}, v); diff != "" {
		t.Errorf("stored taxonomy (-default +stored):\n%s", diff)
	}
}

// TestBidiMigrationCleansStoredStories: migration 17 drops bidirectional
// controls from the stories stored before ingest dropped them, and leaves
// every other character, and every story without them, as it was.
func TestBidiMigrationCleansStoredStories(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	up, err := os.ReadFile("migrations/00017_items_without_bidi.sql")
	if err != nil {
		t.Fatal(err)
	}
	sql, _, _ := strings.Cut(string(up), "-- +goose Down")
	stories := []struct{ title, summary, wantTitle, wantSummary string }{
		{"Costa Rica\u202e: txet desrever", "A summary\u2066 isolated\u2069, a mark\u200f.",
			"Costa Rica: txet desrever", "A summary isolated, a mark."},
		{"Haïti : l’OIM à Port-au-Prince", "Déjà « cité » — rien à changer.",
			"Haïti : l’OIM à Port-au-Prince", "Déjà « cité » — rien à changer."},
	}
	for i, s := range stories {
		if _, err := db.Pool().Exec(ctx, `INSERT INTO items (published_on, title, summary, url, language, fingerprint, ingested_at)
			VALUES ('2020-12-20', $1, $2, '', 'en', $3, now())`, s.title, s.summary, "bidi-"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Pool().Exec(ctx, sql); err != nil {
		t.Fatalf("migration 17: %v", err)
	}
	for i, s := range stories {
		var title, summary string
		if err := db.Pool().QueryRow(ctx, `SELECT title, summary FROM items WHERE fingerprint = $1`,
			"bidi-"+strconv.Itoa(i)).Scan(&title, &summary); err != nil {
			t.Fatal(err)
		}
		if title != s.wantTitle || summary != s.wantSummary {
			t.Errorf("story %d after migration 17: %q / %q, want %q / %q", i, title, summary, s.wantTitle, s.wantSummary)
		}
	}
}
