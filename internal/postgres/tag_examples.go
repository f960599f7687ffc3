package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// tagChange is what an editor did to one tag list of an item: the lists
// before and after, and whether the editor set that list at all.
type tagChange struct {
	kind          string
	set           bool
	before, after []string
}

// recordTagExample keeps an item an editor tagged as a labelled example,
// in the transaction that changed it, with the topics the tagger had
// given it (tagger) when the update sets the topics. Nothing is kept when
// the update set no tag list. Any suggestion for the item is withdrawn:
// an editor has decided, and the retraining this asks for looks again.
func recordTagExample(ctx context.Context, tx pgx.Tx, editor string, id *int64, before, after domain.Item, u domain.ItemUpdate, tagger []string) error {
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
	var taggerTopics []string // NULL unless the topics are judged
	if u.Topics != nil {
		taggerTopics = nonNil(tagger)
	}
	const insert = `
		INSERT INTO tag_examples (item_id, language, title, summary, countries, regions, topics, added, removed, editor, tagger_topics)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	args := []any{id, after.Language, after.Title, after.Summary, lists[0], lists[1], lists[2], nonNil(added), nonNil(removed), editor, taggerTopics}
	if id == nil {
		if _, err := tx.Exec(ctx, insert, args...); err != nil {
			return fmt.Errorf("record tag example: %w", err)
		}
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM tag_suggestions WHERE item_id = $1`, *id); err != nil {
		return fmt.Errorf("withdraw tag suggestion: %w", err)
	}
	// A later correction of the same item updates its example; a list it
	// does not set keeps what an earlier one said, and the tagger's
	// topics stay those it had before the first.
	_, err := tx.Exec(ctx, insert+`
		ON CONFLICT (item_id) DO UPDATE SET
		    language = EXCLUDED.language, title = EXCLUDED.title, summary = EXCLUDED.summary,
		    countries = COALESCE(EXCLUDED.countries, tag_examples.countries),
		    regions = COALESCE(EXCLUDED.regions, tag_examples.regions),
		    topics = COALESCE(EXCLUDED.topics, tag_examples.topics),
		    added = EXCLUDED.added, removed = EXCLUDED.removed,
		    tagger_topics = COALESCE(tag_examples.tagger_topics, EXCLUDED.tagger_topics),
		    editor = EXCLUDED.editor, updated_at = now()`, args...)
	if err != nil {
		return fmt.Errorf("record tag example: %w", err)
	}
	return nil
}

// RecordNewItemExample keeps the tags an editor gave an item created by
// hand (stored, with its id), against the ones the tagger proposed, as a
// labelled example of that item.
func (db *DB) RecordNewItemExample(ctx context.Context, editor string, proposed, stored domain.Item, u domain.ItemUpdate) error {
	if stored.ID == 0 {
		return fmt.Errorf("record tag example: the new item has no id")
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		return recordTagExample(ctx, tx, editor, &stored.ID, proposed, stored, u, proposed.Topics)
	})
}

// TagExamples returns the newest of the desk's examples whose topics an
// editor judged (at most newest of them, the last corrected first kept),
// oldest first, each stamped with when it was last made. An example of
// countries or regions alone is not among them: the model learns topics
// only.
func (db *DB) TagExamples(ctx context.Context, newest int) ([]domain.TagExample, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT language, title, summary, countries, regions, topics, updated_at
		FROM (SELECT * FROM tag_examples WHERE topics IS NOT NULL
		      ORDER BY updated_at DESC, id DESC LIMIT $1) newest
		ORDER BY updated_at, id`, newest)
	if err != nil {
		return nil, fmt.Errorf("tag examples: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.TagExample, error) {
		ex := domain.TagExample{Desk: true}
		err := r.Scan(&ex.Lang, &ex.Title, &ex.Summary, &ex.Countries, &ex.Regions, &ex.Topics, &ex.At)
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
func (db *DB) SaveTagModel(ctx context.Context, examples, deskExamples int, model []byte) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `INSERT INTO tag_models (examples, desk_examples, model) VALUES ($1, $2, $3) RETURNING id`,
		examples, deskExamples, model).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save tag model: %w", err)
	}
	// Only the newest is used; a few are kept to compare.
	if _, err := db.pool.Exec(ctx, `DELETE FROM tag_models WHERE id <= $1 - 10`, id); err != nil {
		return id, fmt.Errorf("prune tag models: %w", err)
	}
	return id, nil
}

// LatestTagModelID returns the id of the newest stored model, 0 when
// none has been trained yet. Processes ask it often; it reads one index
// entry, not the model.
func (db *DB) LatestTagModelID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.pool.QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM tag_models`).Scan(&id); err != nil {
		return 0, fmt.Errorf("latest tag model id: %w", err)
	}
	return id, nil
}

// LatestTagModelInfo describes the newest stored model; errs.NotFound
// when none has been trained yet.
func (db *DB) LatestTagModelInfo(ctx context.Context) (domain.TagModelInfo, error) {
	var m domain.TagModelInfo
	err := db.pool.QueryRow(ctx, `
		SELECT id, trained_at, examples, desk_examples, octet_length(model)
		FROM tag_models ORDER BY id DESC LIMIT 1`).Scan(&m.ID, &m.TrainedAt, &m.Examples, &m.DeskExamples, &m.Bytes)
	if err != nil {
		return m, notFound(err, "tag model")
	}
	return m, nil
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
