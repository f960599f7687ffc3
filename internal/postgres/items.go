package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// ingestLock is the advisory lock that orders item ingestion against the
// cut-off of scheduled editions. Ingest holds it shared and stamps items
// after taking it; an edition takes it exclusively to read its cut-off, so
// no item can commit with a timestamp before a cut-off it missed. An
// editor's translation link takes it exclusively too, before the items it
// locks (see UpdateItem).
const ingestLock = 0x6e6469676573 // "ndiges"

// itemColumns are what every item read returns. The last column gathers
// the item's other language versions: the items of its story (the first
// stored version, and those that are translations of it) but itself. It
// names the outer table "items", so queries using it must not alias it.
const itemColumns = `id, published_on, title, summary, url, language, countries, regions, topics, hidden, ingested_at,
	tag_reasons, edited_fields, featured_until,
	ARRAY(SELECT t.id FROM items t
	      WHERE t.id <> items.id
	        AND (t.id = COALESCE(items.translation_of, items.id) OR t.translation_of = COALESCE(items.translation_of, items.id))
	      ORDER BY t.id),
	picked_at IS NOT NULL, last_picked_at`

func scanItem(r pgx.Row) (domain.Item, error) {
	var it domain.Item
	var day time.Time
	err := r.Scan(&it.ID, &day, &it.Title, &it.Summary, &it.URL, &it.Language,
		&it.Countries, &it.Regions, &it.Topics, &it.Hidden, &it.IngestedAt,
		&it.TagReasons, &it.EditedFields, &it.FeaturedUntil, &it.Translations, &it.Picked, &it.LastPickedAt)
	it.PublishedOn = domain.Date{Time: day}
	// Lists are [] in JSON, never null, whatever the row holds.
	it.EditedFields, it.Translations = nonNil(it.EditedFields), nonNilIDs(it.Translations)
	return it, err
}

// Item returns one item.
func (db *DB) Item(ctx context.Context, id int64) (domain.Item, error) {
	it, err := scanItem(db.pool.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1`, id))
	if err != nil {
		return domain.Item{}, notFound(err, "item")
	}
	return it, nil
}

// ItemByFingerprint returns the item stored with a fingerprint (a story
// just inserted, whose id the caller needs).
func (db *DB) ItemByFingerprint(ctx context.Context, fingerprint string) (domain.Item, error) {
	it, err := scanItem(db.pool.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE fingerprint = $1`, fingerprint))
	if err != nil {
		return domain.Item{}, notFound(err, "item")
	}
	return it, nil
}

// Items lists items newest first, one page at a time: a search with
// only the filter's conditions.
func (db *DB) Items(ctx context.Context, f domain.ItemFilter) ([]domain.Item, error) {
	return db.SearchItems(ctx, domain.ItemSearch{ItemFilter: f})
}

// UpdateItem applies an editor's change inside a transaction, validating
// the result with check before it is written. The fields the change sets
// are recorded as edited, so that ingesting the story again leaves them
// alone. A change of translation_of links the item's story with another
// item's (or, when null, takes the item out of its story); a story keeps
// one version per language. Tag lists editor sets are kept as a labelled
// example for the tagger (tag_examples), in the same transaction.
func (db *DB) UpdateItem(ctx context.Context, editor string, id int64, u domain.ItemUpdate, check func(*domain.Item) error) (domain.Item, error) {
	var it domain.Item
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// A link locks more than one item. An import locks the items it
		// meets in the order of its document, which no id order can
		// match; so a link first waits for the imports in flight (and
		// they for it), as an import takes the ingest lock before any item.
		switch {
		case u.TranslationOf.Set:
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, ingestLock); err != nil {
				return fmt.Errorf("wait for imports: %w", err)
			}
		case u.Picked != nil || u.Hidden != nil && !*u.Hidden:
			// A pick is stamped (last_picked_at; a story shown again may
			// be re-picked) as an import stamps an item, under the ingest
			// lock shared, so that no slot's cut-off passes it
			// uncommitted: a reader's window would move past a pick their
			// digest never saw.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, ingestLock); err != nil {
				return fmt.Errorf("wait for editions: %w", err)
			}
		}
		// Both rows of a link are locked in id order, so two editors
		// linking the same pair the other way round do not deadlock.
		ids := []int64{id}
		if u.TranslationOf.Set && u.TranslationOf.ID != 0 {
			ids = append(ids, u.TranslationOf.ID)
		}
		if _, err := tx.Exec(ctx, `SELECT id FROM items WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, ids); err != nil {
			return fmt.Errorf("lock item: %w", err)
		}
		var err error
		it, err = scanItem(tx.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1`, id))
		if err != nil {
			return notFound(err, "item")
		}
		before := it
		u.Apply(&it)
		if err := check(&it); err != nil {
			return err
		}
		if err := recordTagExample(ctx, tx, editor, &id, before, it, u, before.Topics); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE items SET title = $2, summary = $3, url = $4, countries = $5, regions = $6,
			       topics = $7, hidden = $8, tag_reasons = $9, edited_fields = $10, published_on = $11,
			       picked_at = CASE WHEN $12 THEN COALESCE(picked_at, now()) END,
			       last_picked_at = CASE WHEN $12 AND picked_at IS NULL THEN clock_timestamp()
			                             WHEN $14 THEN NULL
			                             -- shown again with its pick still waiting (as the
			                             -- desk's edition waits): it is picked now
			                             WHEN hidden AND NOT $8 AND $12 THEN clock_timestamp()
			                             ELSE last_picked_at END,
			       featured_until = $13, updated_at = now()
			WHERE id = $1`,
			id, it.Title, it.Summary, it.URL, nonNil(it.Countries), nonNil(it.Regions), nonNil(it.Topics), it.Hidden,
			it.TagReasons, nonNil(it.EditedFields), it.PublishedOn.Time, it.Picked, it.FeaturedUntil,
			u.Picked != nil && !*u.Picked) // left out: by the desk and by readers of their own schedule
		if err != nil {
			return fmt.Errorf("update item: %w", err)
		}
		if u.TranslationOf.Set {
			if err := relink(ctx, tx, id, u.TranslationOf.ID); err != nil {
				return err
			}
		}
		it, err = scanItem(tx.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1`, id))
		return err
	})
	return it, err
}

// relink makes item id a version of target's story, or takes it out of
// its story when target is 0.
func relink(ctx context.Context, tx pgx.Tx, id, target int64) error {
	if target == 0 {
		return unlink(ctx, tx, id)
	}
	if target == id {
		return errs.New(errs.Invalid, "translation_of: an item is not a translation of itself")
	}
	var mine, theirs int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(translation_of, id) FROM items WHERE id = $1`, id).Scan(&mine); err != nil {
		return fmt.Errorf("item story: %w", err)
	}
	err := tx.QueryRow(ctx, `SELECT COALESCE(translation_of, id) FROM items WHERE id = $1`, target).Scan(&theirs)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.New(errs.Invalid, "translation_of: no item %d", target)
		}
		return fmt.Errorf("item story: %w", err)
	}
	if mine == theirs {
		return nil
	}
	// One version per language: the digest picks a subscriber's version
	// by language, so two in one language would hide one of them.
	var clash string
	var clashID int64
	err = tx.QueryRow(ctx, `
		SELECT language, max(id) FROM items
		WHERE id = ANY($1) OR translation_of = ANY($1)
		GROUP BY language HAVING count(*) > 1 LIMIT 1`, []int64{mine, theirs}).Scan(&clash, &clashID)
	switch {
	case err == nil:
		return errs.New(errs.Invalid, "translation_of: the story of item %d already has a version in %q (item %d is another)", target, clash, clashID)
	case !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("check story languages: %w", err)
	}
	root, other := min(mine, theirs), max(mine, theirs)
	if _, err := tx.Exec(ctx, `UPDATE items SET translation_of = $1 WHERE id = $2 OR translation_of = $2`, root, other); err != nil {
		return fmt.Errorf("link translations: %w", err)
	}
	return nil
}

// unlink takes item id out of its story. When id is the story's first
// version, the next one takes its place for the others.
func unlink(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `
		WITH heir AS (SELECT min(id) AS id FROM items WHERE translation_of = $1)
		UPDATE items SET translation_of = CASE WHEN items.id = heir.id OR items.id = $1 THEN NULL ELSE heir.id END
		FROM heir
		WHERE items.id = $1 OR items.translation_of = $1`, id)
	if err != nil {
		return fmt.Errorf("unlink translation: %w", err)
	}
	return nil
}

// nonNil keeps NOT NULL array columns from receiving NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilIDs(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}
