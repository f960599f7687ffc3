package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// Dashboard reads the overview in one round trip: the queries go as one
// batch, each an aggregate the indexes answer without reading much.
// top bounds the country and topic lists; sourceErrors the failing
// sources.
func (db *DB) Dashboard(ctx context.Context, top, sourceErrors int) (domain.Dashboard, error) {
	var d domain.Dashboard
	b := &pgx.Batch{}
	tallies := func(dst *[]domain.Tally) func(pgx.Rows) error {
		return func(rows pgx.Rows) error {
			got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Tally, error) {
				var t domain.Tally
				return t, r.Scan(&t.Key, &t.Count)
			})
			*dst = got
			return err
		}
	}
	// The subscribers' counts come from subscriber_tallies, which
	// triggers keep (migration 00027): counting the table itself took
	// four scans of it.
	b.Queue(`SELECT key, sum(n)::bigint FROM subscriber_tallies WHERE kind = 'status'
		GROUP BY key HAVING sum(n) > 0 ORDER BY sum(n) DESC, key`).
		Query(tallies(&d.SubscribersByStatus))
	b.Queue(`SELECT key, sum(n)::bigint FROM subscriber_tallies WHERE kind = 'country'
		GROUP BY key HAVING sum(n) > 0 ORDER BY sum(n) DESC, key LIMIT $1`, top).Query(tallies(&d.ActiveByCountry))
	b.Queue(`SELECT key, sum(n)::bigint FROM subscriber_tallies WHERE kind = 'topic'
		GROUP BY key HAVING sum(n) > 0 ORDER BY sum(n) DESC, key LIMIT $1`, top).Query(tallies(&d.ActiveByTopic))
	b.Queue(`SELECT COALESCE(sum(n), 0)::bigint FROM subscriber_tallies WHERE kind = 'all'`).
		QueryRow(func(r pgx.Row) error { return r.Scan(&d.ActiveAllStories) })
	b.Queue(`SELECT ` + editionColumns + ` FROM editions e ORDER BY e.id DESC LIMIT 1`).QueryRow(func(r pgx.Row) error {
		e, err := scanEdition(r)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err == nil {
			d.LastEdition = &e
		}
		return err
	})
	b.Queue(`SELECT count(*) FILTER (WHERE NOT hidden AND cardinality(countries) + cardinality(regions) + cardinality(topics) > 0),
		       count(*) FILTER (WHERE NOT hidden AND cardinality(countries) + cardinality(regions) + cardinality(topics) = 0),
		       count(*) FILTER (WHERE hidden)
		FROM items WHERE ingested_at > now() - interval '7 days'`).
		QueryRow(func(r pgx.Row) error { return r.Scan(&d.Week.Tagged, &d.Week.Untagged, &d.Week.Hidden) })
	b.Queue(`SELECT id, url, kind, last_error, last_error_at, last_success_at,
		       last_error_format, last_error_args, last_error_lines, last_error_detail FROM sources
		WHERE last_error <> '' AND (last_success_at IS NULL OR last_error_at IS NULL OR last_error_at > last_success_at)
		ORDER BY last_error_at DESC NULLS LAST, id LIMIT $1`, sourceErrors).
		Query(func(rows pgx.Rows) error {
			got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.SourceError, error) {
				var s domain.SourceError
				var p storedProblem
				if err := r.Scan(&s.ID, &s.URL, &s.Kind, &s.Error, &s.At, &s.LastSuccessAt,
					&p.format, &p.args, &p.lines, &p.detail); err != nil {
					return s, err
				}
				var err error
				s.Problem, err = p.problem()
				return s, err
			})
			d.SourceErrors = got
			return err
		})
	b.Queue(`SELECT count(*) FROM sources`).QueryRow(func(r pgx.Row) error { return r.Scan(&d.Sources) })
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return d, fmt.Errorf("dashboard: %w", err)
	}
	return d, nil
}
