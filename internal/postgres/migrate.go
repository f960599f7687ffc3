package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate applies every pending migration, in order. A Postgres session
// lock makes concurrent starts (several web processes) apply them once. A
// database missing a migration lower than its latest is refused: the
// error names it.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer sqlDB.Close()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	// A migration lower than the last one applied is refused (goose's
	// default), not applied out of order: it was written against an older
	// schema, and the migrations after it may have changed what it
	// touches. Number a migration after the latest one when branches meet.
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
	)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "took", r.Duration)
	}
	s, err := db.Schema(ctx)
	if err != nil {
		return err
	}
	if w := s.AheadWarning(); w != "" {
		log.Warn(w)
	}
	log.Info("database migrated", "database_version", s.Current, "applied", len(results))
	return nil
}

// Schema is where a database stands against the migrations this binary
// embeds.
type Schema struct {
	// Current is the latest migration the database has; 0: none.
	Current int64
	// Latest is the latest migration embedded: what this binary needs.
	Latest int64
	// Missing are the embedded migrations the database lacks, in order.
	// Those above Current are what `web migrate` applies; one below it
	// is refused (see Migrate).
	Missing []int64
}

// Ahead reports whether the database has a migration newer than this
// binary's latest: a newer version's, applied in a rolling upgrade (its
// older processes are still being replaced) or before a rollback (this
// version is not made for that schema; the backup taken before the
// upgrade is).
func (s Schema) Ahead() bool { return s.Current > s.Latest }

// AheadWarning says, when the database is ahead, what that means.
func (s Schema) AheadWarning() string {
	if !s.Ahead() {
		return ""
	}
	return fmt.Sprintf("the database is at migration %d, newer than this version's latest (%d): "+
		"a newer version migrated it. Fine while that version's upgrade is rolling out; "+
		"an older version on a newer schema is not supported otherwise: run the newer version, "+
		"or restore the backup taken before the upgrade", s.Current, s.Latest)
}

// Behind reports whether the database lacks a migration this binary
// needs. A database ahead of it (a newer version's migrations applied,
// during a rolling upgrade) is not behind.
func (s Schema) Behind() bool { return len(s.Missing) > 0 }

// Err says, when the database is behind, where it stands and what to do.
func (s Schema) Err() error {
	if !s.Behind() {
		return nil
	}
	if first := s.Missing[0]; first < s.Current {
		return fmt.Errorf("database schema lacks migration %d, older than its latest (%d): web migrate refuses it out of order", first, s.Current)
	}
	if s.Current == 0 {
		return fmt.Errorf("database schema not migrated (this version needs migration %d): run web migrate", s.Latest)
	}
	return fmt.Errorf("database schema at migration %d, this version needs %d: run web migrate", s.Current, s.Latest)
}

// embeddedVersions are the migrations' versions, in order, read from
// their file names as goose reads them.
var embeddedVersions = sync.OnceValues(func() ([]int64, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	versions := make([]int64, 0, len(files))
	for _, f := range files {
		v, err := goose.NumericComponent(path.Base(f))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		versions = append(versions, v)
	}
	slices.Sort(versions)
	return versions, nil
})

// Schema reads which migrations the database has, without writing
// anything: goose's own read calls make its table when it is missing, and
// a program that only checks must not change a database it may not own.
// Like goose, it counts every row of goose_db_version as applied.
func (db *DB) Schema(ctx context.Context) (Schema, error) {
	embedded, err := embeddedVersions()
	if err != nil {
		return Schema{}, err
	}
	s := Schema{Latest: embedded[len(embedded)-1]}
	var applied []int64
	var table *string
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('goose_db_version')::text`).Scan(&table); err != nil {
		return Schema{}, fmt.Errorf("read the schema's version: %w", err)
	}
	if table != nil {
		rows, err := db.pool.Query(ctx, `SELECT DISTINCT version_id FROM goose_db_version WHERE version_id > 0`)
		if err != nil {
			return Schema{}, fmt.Errorf("read the schema's version: %w", err)
		}
		if applied, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return Schema{}, fmt.Errorf("read the schema's version: %w", err)
		}
	}
	for _, v := range applied {
		s.Current = max(s.Current, v)
	}
	for _, v := range embedded {
		if !slices.Contains(applied, v) {
			s.Missing = append(s.Missing, v)
		}
	}
	return s, nil
}
