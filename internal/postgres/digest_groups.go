package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// An edition's digests are its groups: one per distinct digest its
// readers get (edition_groups), each with the token of its web page.

// upsertGroups stores new groups in one round trip and returns their ids
// by key; saving a key again (a compile run twice) returns the first id.
func (db *DB) upsertGroups(ctx context.Context, editionID int64, groups []domain.NewDigestGroup) (map[string]int64, error) {
	keys := make([]string, len(groups))
	langs := make([]string, len(groups))
	bodies := make([]string, len(groups))
	for i, g := range groups {
		keys[i], langs[i], bodies[i] = g.Key, g.Language, string(g.Sections)
	}
	rows, err := db.pool.Query(ctx, `
		INSERT INTO edition_groups (edition_id, key, language, sections)
		SELECT $1, k, l, s::json FROM unnest($2::text[], $3::text[], $4::text[]) AS g(k, l, s)
		ON CONFLICT (edition_id, key) DO UPDATE SET key = EXCLUDED.key
		RETURNING key, id`, editionID, keys, langs, bodies)
	if err != nil {
		return nil, fmt.Errorf("save groups: %w", err)
	}
	defer rows.Close()
	out := make(map[string]int64, len(groups))
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// Groups loads the given groups.
func (db *DB) Groups(ctx context.Context, ids []int64) ([]domain.DigestGroup, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, language, sections, view_token FROM edition_groups WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("load groups: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.DigestGroup, error) {
		var g domain.DigestGroup
		err := r.Scan(&g.ID, &g.Language, &g.Sections, &g.ViewToken)
		return g, err
	})
}

// GroupByViewToken returns the digest an edition had for the group whose
// view token this is, for the digest on the web; errs.NotFound for any
// other token. It names no subscriber.
func (db *DB) GroupByViewToken(ctx context.Context, editionID int64, tok string) (domain.DigestGroup, error) {
	var g domain.DigestGroup
	err := db.pool.QueryRow(ctx, `
		SELECT id, language, sections, view_token FROM edition_groups WHERE edition_id = $1 AND view_token = $2`,
		editionID, tok).Scan(&g.ID, &g.Language, &g.Sections, &g.ViewToken)
	return g, notFound(err, "digest")
}
