package postgres

import (
	"context"
	"fmt"
)

// Earlier is what earlier editions sent of an edition's stories: a reader
// who got a story once, in any of its languages, does not get it again.
type Earlier struct {
	// Editions are the earlier editions that sent a version of one of
	// this edition's stories.
	Editions []int64
	// Groups maps each of their digests (edition group ids) that held
	// such a version to the ids of this edition's items of those stories.
	Groups map[int64][]int64
}

// EarlierStories finds where this edition's stories went out before: an
// item repeated by overlapping windows, or another language version of
// it (items.translation_of) that arrived in an earlier edition's window.
// It looks at the digests themselves, not the editions' item lists, so a
// reader whose digest did not hold the story then (other choices, or a
// version tagged differently) may receive it now.
func (db *DB) EarlierStories(ctx context.Context, editionID int64) (Earlier, error) {
	rows, err := db.pool.Query(ctx, `
		WITH mine AS (
		    SELECT i.id, COALESCE(i.translation_of, i.id) AS story
		    FROM edition_items c JOIN items i ON i.id = c.item_id
		    WHERE c.edition_id = $1),
		versions AS (
		    SELECT m.story AS version, m.id AS item FROM mine m
		    UNION
		    SELECT v.id, m.id FROM mine m JOIN items v ON v.translation_of = m.story),
		earlier AS (
		    SELECT DISTINCT o.edition_id FROM edition_items o JOIN versions v ON v.version = o.item_id
		    WHERE o.edition_id < $1)
		SELECT g.edition_id, g.id, array_agg(DISTINCT v.item ORDER BY v.item)
		FROM edition_groups g
		JOIN earlier e ON e.edition_id = g.edition_id
		CROSS JOIN LATERAL jsonb_array_elements(g.sections) s
		CROSS JOIN LATERAL jsonb_array_elements_text(s -> 'items') x(id)
		JOIN versions v ON v.version = x.id::bigint
		GROUP BY g.edition_id, g.id
		ORDER BY g.edition_id, g.id`, editionID)
	if err != nil {
		return Earlier{}, fmt.Errorf("earlier stories: %w", err)
	}
	defer rows.Close()
	out := Earlier{Groups: map[int64][]int64{}}
	for rows.Next() {
		var edition, group int64
		var items []int64
		if err := rows.Scan(&edition, &group, &items); err != nil {
			return Earlier{}, err
		}
		if n := len(out.Editions); n == 0 || out.Editions[n-1] != edition {
			out.Editions = append(out.Editions, edition)
		}
		out.Groups[group] = items
	}
	return out, rows.Err()
}
