package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/tagging"
)

// tagChange is what an editor did to one tag list of an item: the lists
// before and after, and whether the editor set that list at all.
type tagChange struct {
	kind          string
	set           bool
	before, after []string
}

// recordTagExample keeps an item an editor tagged as a labelled example,
// in the transaction that changed it. Nothing is kept when the update set
// no tag list.
func recordTagExample(ctx context.Context, tx pgx.Tx, editor string, id *int64, before, after domain.Item, u domain.ItemUpdate) error {
	changes := []tagChange{
		{domain.FieldCountries, u.Countries != nil, before.Countries, after.Countries},
		{domain.FieldRegions, u.Regions != nil, before.Regions, after.Regions},
		{domain.FieldTopics, u.Topics != nil, before.Topics, after.Topics},
	}
	var added, removed []string
	lists := make([][]string, len(changes)) // nil: not judged
	judged := false
	for i, c := range changes {
		if !c.set {
			continue
		}
		judged = true
		lists[i] = nonNil(c.after)
		for _, t := range c.after {
			if !slices.Contains(c.before, t) {
				added = append(added, c.kind+":"+t)
			}
		}
		for _, t := range c.before {
			if !slices.Contains(c.after, t) {
				removed = append(removed, c.kind+":"+t)
			}
		}
	}
	if !judged {
		return nil
	}
	const insert = `
		INSERT INTO tag_examples (item_id, language, title, summary, countries, regions, topics, added, removed, editor)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	args := []any{id, after.Language, after.Title, after.Summary, lists[0], lists[1], lists[2], nonNil(added), nonNil(removed), editor}
	if id == nil {
		if _, err := tx.Exec(ctx, insert, args...); err != nil {
			return fmt.Errorf("record tag example: %w", err)
		}
		return nil
	}
	// A later correction of the same item updates its example; a list it
	// does not set keeps what an earlier one said.
	_, err := tx.Exec(ctx, insert+`
		ON CONFLICT (item_id) DO UPDATE SET
		    language = EXCLUDED.language, title = EXCLUDED.title, summary = EXCLUDED.summary,
		    countries = COALESCE(EXCLUDED.countries, tag_examples.countries),
		    regions = COALESCE(EXCLUDED.regions, tag_examples.regions),
		    topics = COALESCE(EXCLUDED.topics, tag_examples.topics),
		    added = EXCLUDED.added, removed = EXCLUDED.removed,
		    editor = EXCLUDED.editor, updated_at = now()`, args...)
	if err != nil {
		return fmt.Errorf("record tag example: %w", err)
	}
	return nil
}

// RecordNewItemExample keeps the tags an editor gave an item created by
// hand, against the ones the tagger proposed, as a labelled example.
func (db *DB) RecordNewItemExample(ctx context.Context, editor string, proposed, stored domain.Item, u domain.ItemUpdate) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var id *int64
		var found int64
		err := tx.QueryRow(ctx, `SELECT id FROM items WHERE url = $1 ORDER BY id DESC LIMIT 1`, stored.URL).Scan(&found)
		switch {
		case err == nil:
			id = &found
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("find new item: %w", err)
		}
		return recordTagExample(ctx, tx, editor, id, proposed, stored, u)
	})
}

// TagExamples returns the desk's labelled examples, oldest first.
func (db *DB) TagExamples(ctx context.Context) ([]tagging.Example, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT language, title, summary, countries, regions, topics
		FROM tag_examples ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("tag examples: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (tagging.Example, error) {
		var ex tagging.Example
		err := r.Scan(&ex.Lang, &ex.Title, &ex.Summary, &ex.Countries, &ex.Regions, &ex.Topics)
		return ex, err
	})
}

// TagExamplesChangedSince reports whether a correction was saved at or
// after t.
func (db *DB) TagExamplesChangedSince(ctx context.Context, t time.Time) (bool, error) {
	var changed bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tag_examples WHERE updated_at >= $1)`, t).Scan(&changed)
	if err != nil {
		return false, fmt.Errorf("tag examples changed: %w", err)
	}
	return changed, nil
}

// SaveTagModel stores a trained model and returns its id.
func (db *DB) SaveTagModel(ctx context.Context, examples int, model []byte) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `INSERT INTO tag_models (examples, model) VALUES ($1, $2) RETURNING id`,
		examples, model).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save tag model: %w", err)
	}
	// Only the newest is used; a few are kept to compare.
	if _, err := db.pool.Exec(ctx, `DELETE FROM tag_models WHERE id <= $1 - 10`, id); err != nil {
		return id, fmt.Errorf("prune tag models: %w", err)
	}
	return id, nil
}

// LatestTagModel returns the newest stored model and its id, or id 0 and
// no model when none has been trained yet.
func (db *DB) LatestTagModel(ctx context.Context) (int64, []byte, error) {
	var id int64
	var model []byte
	err := db.pool.QueryRow(ctx, `SELECT id, model FROM tag_models ORDER BY id DESC LIMIT 1`).Scan(&id, &model)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("latest tag model: %w", err)
	}
	return id, model, nil
}
