package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// StoryTarget is the address of a story of an edition.
func (db *DB) StoryTarget(ctx context.Context, editionID, itemID int64) (string, error) {
	var url string
	err := db.pool.QueryRow(ctx, `
		SELECT i.url FROM items i JOIN edition_items ei ON ei.item_id = i.id
		WHERE ei.edition_id = $1 AND i.id = $2`, editionID, itemID).Scan(&url)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", errs.New(errs.NotFound, "link not found")
	}
	return url, err
}

// RecordClick applies decide to the clicks kept under key and records
// its decision, under the key's row lock so that two clicks of one
// message at once are decided one after the other.
func (db *DB) RecordClick(ctx context.Context, key []byte, at time.Time, editionID, itemID int64, decide func(domain.ClickNonce) domain.ClickDecision) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO click_nonces (nonce_hash, first_at) VALUES ($1, $2)
			ON CONFLICT (nonce_hash) DO NOTHING`, key, at); err != nil {
			return err
		}
		var prev domain.ClickNonce
		if err := tx.QueryRow(ctx, `SELECT recent, stories, burst FROM click_nonces WHERE nonce_hash = $1 FOR UPDATE`, key).
			Scan(&prev.Recent, &prev.Stories, &prev.Burst); err != nil {
			return err
		}
		d := decide(prev)
		next := d.Next
		if next.Recent == nil {
			next.Recent = []time.Time{}
		}
		if next.Stories == nil {
			next.Stories = []int64{}
		}
		if _, err := tx.Exec(ctx, `UPDATE click_nonces SET recent = $2, stories = $3, burst = $4 WHERE nonce_hash = $1`,
			key, next.Recent, next.Stories, next.Burst); err != nil {
			return err
		}
		if d.Count {
			if _, err := tx.Exec(ctx, `INSERT INTO story_clicks (edition_id, item_id, clicks) VALUES ($1, $2, 1)
				ON CONFLICT (edition_id, item_id) DO UPDATE SET clicks = story_clicks.clicks + 1`, editionID, itemID); err != nil {
				return err
			}
		}
		if len(d.Uncount) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE story_clicks SET clicks = clicks - 1
				WHERE edition_id = $1 AND item_id = ANY($2) AND clicks > 0`, editionID, d.Uncount); err != nil {
				return err
			}
		}
		return nil
	})
}

// PurgeClickNonces forgets the messages first clicked before t.
func (db *DB) PurgeClickNonces(ctx context.Context, before time.Time) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM click_nonces WHERE first_at < $1`, before)
	return err
}

// ClickStats adds up the clicks on the stories of the editions made from
// from to to (an edition's time: its tick, else when it was made).
func (db *DB) ClickStats(ctx context.Context, from, to time.Time, limit int) (domain.ClickStats, error) {
	const counted = `
		WITH c AS (
			SELECT sc.item_id, sum(sc.clicks)::bigint AS clicks FROM story_clicks sc
			JOIN editions e ON e.id = sc.edition_id
			WHERE COALESCE(e.scheduled_for, e.created_at) >= $1 AND COALESCE(e.scheduled_for, e.created_at) < $2
			GROUP BY sc.item_id HAVING sum(sc.clicks) > 0)`
	out := domain.ClickStats{Stories: []domain.StoryClicks{}, Countries: []domain.TagClicks{}, Topics: []domain.TagClicks{}}
	rows, err := db.pool.Query(ctx, counted+`
		SELECT i.id, i.title, c.clicks FROM c JOIN items i ON i.id = c.item_id
		ORDER BY c.clicks DESC, i.id DESC LIMIT $3`, from, to, limit)
	if err != nil {
		return out, err
	}
	out.Stories, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.StoryClicks, error) {
		var s domain.StoryClicks
		return s, r.Scan(&s.ID, &s.Title, &s.Clicks)
	})
	if err != nil {
		return out, err
	}
	for _, tag := range []struct {
		column string
		into   *[]domain.TagClicks
	}{{"countries", &out.Countries}, {"topics", &out.Topics}} {
		rows, err := db.pool.Query(ctx, counted+`
			SELECT t.code, sum(c.clicks)::bigint FROM c JOIN items i ON i.id = c.item_id, unnest(i.`+tag.column+`) AS t(code)
			GROUP BY t.code ORDER BY 2 DESC, 1`, from, to)
		if err != nil {
			return out, err
		}
		*tag.into, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.TagClicks, error) {
			var t domain.TagClicks
			return t, r.Scan(&t.Code, &t.Clicks)
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
