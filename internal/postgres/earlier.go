package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"newsdigest/internal/domain"
)

// EarlierStories finds where this edition's stories went out before: an
// item repeated by overlapping windows, or another language version of
// it (items.translation_of) that arrived in an earlier edition's window.
// Every other edition's digests count, whatever its id: an edition
// compiled again after a crash, or whose compile waited behind a newer
// one's, must spare the readers what the newer one gave them.
// It looks at the digests themselves, not the editions' item lists, so a
// reader whose digest did not hold the story then (other choices, or a
// version tagged differently) may receive it now.
func (db *DB) EarlierStories(ctx context.Context, editionID int64) (domain.Earlier, error) {
	return db.earlierStories(ctx, `SELECT c.item_id FROM edition_items c WHERE c.edition_id = $1`, editionID, editionID)
}

// EarlierStoriesOf is EarlierStories for the items of an edition not yet
// made (what "send now" and the preview show): where any edition sent
// them before.
func (db *DB) EarlierStoriesOf(ctx context.Context, itemIDs []int64) (domain.Earlier, error) {
	return db.earlierStories(ctx, `SELECT unnest($1::bigint[])`, itemIDs, 0)
}

// earlierStories finds where the items that mine selects (from its
// argument, $1) went out in editions other than the edition id except.
func (db *DB) earlierStories(ctx context.Context, mine string, arg any, except int64) (domain.Earlier, error) {
	out := domain.Earlier{Groups: map[int64][]int64{}}
	versions, editions, err := db.earlierVersions(ctx, mine, arg, except)
	if err != nil || len(editions) == 0 {
		return out, err
	}
	// The digests' item lists are matched here rather than in SQL: taking
	// the jsonb apart in a join misleads the planner (and wakes JIT) into
	// 7–12 s for an edition of 40,000 digests; reading them whole and
	// decoding them here takes about 1.5 s.
	rows, err := db.pool.Query(ctx, `
		SELECT edition_id, id, sections FROM edition_groups
		WHERE edition_id = ANY($1) ORDER BY edition_id, id`, editions)
	if err != nil {
		return domain.Earlier{}, fmt.Errorf("earlier digests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var edition, group int64
		var raw []byte
		var sections []struct {
			Items []int64 `json:"items"`
		}
		if err := rows.Scan(&edition, &group, &raw); err != nil {
			return domain.Earlier{}, fmt.Errorf("earlier digests: %w", err)
		}
		if err := json.Unmarshal(raw, &sections); err != nil {
			return domain.Earlier{}, fmt.Errorf("earlier digest %d: %w", group, err)
		}
		var mine []int64
		for _, s := range sections {
			for _, id := range s.Items {
				mine = append(mine, versions[id]...)
			}
		}
		if len(mine) == 0 {
			continue
		}
		slices.Sort(mine)
		out.Groups[group] = slices.Compact(mine)
		if n := len(out.Editions); n == 0 || out.Editions[n-1] != edition {
			out.Editions = append(out.Editions, edition)
		}
	}
	return out, rows.Err()
}

// earlierVersions maps every version of this edition's stories (their
// items, and the other language versions of them) to this edition's items
// of the same story, and lists the other editions holding any of them.
func (db *DB) earlierVersions(ctx context.Context, mine string, arg any, except int64) (map[int64][]int64, []int64, error) {
	rows, err := db.pool.Query(ctx, `
		WITH mine AS (
		    SELECT i.id, COALESCE(i.translation_of, i.id) AS story
		    FROM items i WHERE i.id IN (`+mine+`)),
		versions AS (
		    SELECT m.story AS version, m.id AS item FROM mine m
		    UNION
		    SELECT v.id, m.id FROM mine m JOIN items v ON v.translation_of = m.story)
		SELECT v.version, v.item,
		       ARRAY(SELECT o.edition_id FROM edition_items o WHERE o.item_id = v.version AND o.edition_id <> $2)
		FROM versions v`, arg, except)
	if err != nil {
		return nil, nil, fmt.Errorf("earlier versions: %w", err)
	}
	defer rows.Close()
	versions := map[int64][]int64{}
	var editions []int64
	for rows.Next() {
		var version, item int64
		var in []int64
		if err := rows.Scan(&version, &item, &in); err != nil {
			return nil, nil, fmt.Errorf("earlier versions: %w", err)
		}
		versions[version] = append(versions[version], item)
		editions = append(editions, in...)
	}
	slices.Sort(editions)
	return versions, slices.Compact(editions), rows.Err()
}
