package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"newsdigest/internal/taxonomy"
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
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
		// A migration lower than the last one applied is refused, not
		// applied out of order: it was written against an older schema, and
		// the migrations after it may have changed what it touches. Number a
		// migration after the latest one when branches meet.
		goose.WithGoMigrations(goose.NewGoMigration(2, &goose.GoFunc{RunTx: seedTaxonomy}, nil)),
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
	return nil
}

// seedTaxonomy loads the default taxonomy once, as migration 2; afterwards
// it is data that editors may change. The schema of that migration had
// English and Spanish names, which migration 18 dropped for the
// catalogue's; they are written here because the columns exist then.
func seedTaxonomy(ctx context.Context, tx *sql.Tx) error {
	t := taxonomy.Default()
	for _, c := range t.Countries {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO countries (code, name_en, name_es) VALUES ($1, $2, $3)`,
			c.Code, c.Name("en"), c.Name("es")); err != nil {
			return fmt.Errorf("seed country %s: %w", c.Code, err)
		}
	}
	for i, r := range t.Regions {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO regions (code, name_en, name_es, countries, position) VALUES ($1, $2, $3, $4, $5)`,
			r.Code, r.Name("en"), r.Name("es"), r.Countries, i); err != nil {
			return fmt.Errorf("seed region %s: %w", r.Code, err)
		}
	}
	for i, tp := range t.Topics {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO topics (slug, name_en, name_es, position) VALUES ($1, $2, $3, $4)`,
			tp.Slug, tp.Name("en"), tp.Name("es"), i); err != nil {
			return fmt.Errorf("seed topic %s: %w", tp.Slug, err)
		}
	}
	return nil
}
