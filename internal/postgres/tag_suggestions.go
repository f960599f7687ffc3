package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// UnsentItems returns up to limit stories, newest first, that no edition
// holds yet and that are not hidden: those whose tags can still change
// what readers get.
func (db *DB) UnsentItems(ctx context.Context, limit int) ([]domain.Item, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+itemColumns+` FROM items
		WHERE `+storyUnsent("items")+`
		ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("unsent items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanItem(r) })
}

// ReplaceTagSuggestions makes list the only suggestions, in one
// transaction: a retraining's suggestions replace the last one's.
func (db *DB) ReplaceTagSuggestions(ctx context.Context, list []domain.TagSuggestion) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM tag_suggestions`); err != nil {
			return fmt.Errorf("clear tag suggestions: %w", err)
		}
		rows := make([][]any, len(list))
		for i, s := range list {
			rows[i] = []any{s.ItemID, s.ModelID, s.From.Countries, s.From.Regions, s.From.Topics,
				s.To.Countries, s.To.Regions, s.To.Topics, s.Reasons, s.Changes, textOrNull(s.FromText)}
		}
		// An item deleted since it was read has no row to refer to; its
		// suggestion is left out rather than failing the others.
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE new_suggestions (LIKE tag_suggestions INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
			return fmt.Errorf("store tag suggestions: %w", err)
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"new_suggestions"},
			[]string{"item_id", "model_id", "from_countries", "from_regions", "from_topics",
				"to_countries", "to_regions", "to_topics", "reasons", "changes", "from_text"}, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("store tag suggestions: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO tag_suggestions SELECT n.* FROM new_suggestions n JOIN items i ON i.id = n.item_id`); err != nil {
			return fmt.Errorf("store tag suggestions: %w", err)
		}
		return nil
	})
}

// textOrNull stores an unknown text digest as NULL, which fits any text,
// not as "", which would fit none.
func textOrNull(digest string) *string {
	if digest == "" {
		return nil
	}
	return &digest
}

// storyUnsent is the condition that a story (the items row named
// table) can still change what readers get: it is in no edition's
// window and not hidden. Only such stories are suggested new tags.
func storyUnsent(table string) string {
	return `NOT ` + table + `.hidden AND NOT EXISTS (SELECT 1 FROM edition_items ei WHERE ei.item_id = ` + table + `.id)`
}

// storyTextSQL is domain.StoryText of the items row i, as PostgreSQL
// computes it.
const storyTextSQL = `md5(i.title || chr(31) || i.summary || chr(31) || i.language)`

// suggestionFresh is the condition that a suggestion (s) still fits its
// item (i): the item's lists and text are those it was made from (a
// suggestion stored before its text was kept fits any), none of the
// lists it changes is an editor's, and the story is still unsent. A
// story whose tags changed since (an editor, or its source sending it
// again) waits for the next retraining to be looked at again; one sent
// or hidden since is no longer the tagger's to suggest for. An editor
// may confirm a list as it is while a retraining that read the story
// before runs: the lists are equal, but the list is the editor's now.
// Listing, reading and accepting a suggestion all ask this one question.
var suggestionFresh = `s.from_countries = i.countries AND s.from_regions = i.regions AND s.from_topics = i.topics
	AND (s.from_text IS NULL OR s.from_text = ` + storyTextSQL + `)
	AND NOT EXISTS (
	    SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(s.changes) WHEN 'array' THEN s.changes ELSE '[]' END) c
	    WHERE c->>'kind' = ANY (i.edited_fields))
	AND ` + storyUnsent("i")

// suggestionColumns are what every suggestion read returns.
const suggestionColumns = `s.item_id, s.model_id, s.from_countries, s.from_regions, s.from_topics,
	s.to_countries, s.to_regions, s.to_topics, s.reasons, s.changes, s.created_at,
	i.title, i.published_on, i.language, i.url, i.countries, i.regions, i.topics, i.tag_reasons, i.edited_fields`

// scanSuggestion reads suggestionColumns, and into more any columns
// selected after them.
func scanSuggestion(r pgx.Row, more ...any) (domain.TagSuggestion, error) {
	var s domain.TagSuggestion
	var day time.Time
	it := &s.Item
	err := r.Scan(append([]any{&s.ItemID, &s.ModelID, &s.From.Countries, &s.From.Regions, &s.From.Topics,
		&s.To.Countries, &s.To.Regions, &s.To.Topics, &s.Reasons, &s.Changes, &s.CreatedAt,
		&it.Title, &day, &it.Language, &it.URL, &it.Countries, &it.Regions, &it.Topics, &it.TagReasons, &it.EditedFields},
		more...)...)
	it.ID, it.PublishedOn = s.ItemID, domain.Date{Time: day}
	return s, err
}

// TagSuggestions returns up to limit suggestions that still fit their
// stories, the newest stories first, and how many there are in all.
func (db *DB) TagSuggestions(ctx context.Context, limit int) ([]domain.TagSuggestion, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `
		SELECT count(*) FROM tag_suggestions s JOIN items i ON i.id = s.item_id WHERE `+suggestionFresh).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count tag suggestions: %w", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT `+suggestionColumns+`
		FROM tag_suggestions s JOIN items i ON i.id = s.item_id
		WHERE `+suggestionFresh+`
		ORDER BY i.published_on DESC, s.item_id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("tag suggestions: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.TagSuggestion, error) { return scanSuggestion(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("tag suggestions: %w", err)
	}
	return list, total, nil
}

// TagSuggestion returns the suggestion for one item, if it still fits;
// errs.NotFound otherwise.
func (db *DB) TagSuggestion(ctx context.Context, itemID int64) (domain.TagSuggestion, error) {
	s, err := scanSuggestion(db.pool.QueryRow(ctx, `
		SELECT `+suggestionColumns+`
		FROM tag_suggestions s JOIN items i ON i.id = s.item_id
		WHERE s.item_id = $1 AND `+suggestionFresh, itemID))
	if err != nil {
		return s, notFound(err, "tag suggestion")
	}
	return s, nil
}

// TopicCorrections returns, per topic of the taxonomy, how often editors
// changed the tagger's choice on the stories that arrived since since,
// or that an editor corrected since then.
// The tagger's choice is what it had set when an editor first set the
// topics (tag_examples.tagger_topics), or the topics themselves when no
// editor did.
func (db *DB) TopicCorrections(ctx context.Context, since time.Time) ([]domain.TopicCorrections, error) {
	rows, err := db.pool.Query(ctx, `
		WITH recent AS (
			-- Two halves, not one OR across the join: each reads its
			-- own index (items_ingested_at, tag_examples_updated)
			-- rather than every item.
			SELECT COALESCE(e.tagger_topics, i.topics) AS tagger, e.topics AS editor
			FROM items i LEFT JOIN tag_examples e ON e.item_id = i.id
			WHERE i.ingested_at >= $1
			UNION ALL
			SELECT COALESCE(e.tagger_topics, i.topics), e.topics
			FROM tag_examples e JOIN items i ON i.id = e.item_id
			WHERE e.updated_at >= $1 AND i.ingested_at < $1
		)
		SELECT t.slug,
		       count(r.tagger) FILTER (WHERE t.slug = ANY (r.tagger)),
		       count(r.tagger) FILTER (WHERE t.slug = ANY (r.tagger) AND r.editor IS NOT NULL AND t.slug <> ALL (r.editor)),
		       count(r.tagger) FILTER (WHERE t.slug <> ALL (r.tagger) AND t.slug = ANY (r.editor))
		FROM topics t LEFT JOIN recent r ON true
		GROUP BY t.slug, t.position
		ORDER BY t.position, t.slug`, since)
	if err != nil {
		return nil, fmt.Errorf("topic corrections: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.TopicCorrections, error) {
		var c domain.TopicCorrections
		err := r.Scan(&c.Topic, &c.Tagged, &c.Removed, &c.Added)
		return c, err
	})
}
