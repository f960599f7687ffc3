package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// dayLockClass is the first key of the advisory locks ingest takes per
// published day (the second is the day), so that two imports meeting the
// same story within a day of each other look for it one after the other.
// The two-key lock space does not meet the one-key ingestLock.
const dayLockClass = 0x6e64 // "nd"

// InsertItems stores new items in one transaction: all of them or none.
// An item already stored (domain.NearDuplicate, or the same fingerprint)
// is a duplicate and is left as it is. It reports how many were new and
// how many were duplicates.
func (db *DB) InsertItems(ctx context.Context, items []domain.Item) (imported, duplicates int, err error) {
	n, err := db.storeItems(ctx, items, false)
	return n.Imported, n.Duplicates, err
}

// IngestItems is InsertItems for a source sending its stories again: a
// duplicate is brought up to date with the new copy in the fields no
// editor changed (domain.Item.Refresh).
func (db *DB) IngestItems(ctx context.Context, items []domain.Item) (domain.StoreCounts, error) {
	return db.storeItems(ctx, items, true)
}

func (db *DB) storeItems(ctx context.Context, items []domain.Item, refresh bool) (domain.StoreCounts, error) {
	var n domain.StoreCounts
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var now time.Time
		if err := tx.QueryRow(ctx,
			`SELECT clock_timestamp() FROM (SELECT pg_advisory_xact_lock_shared($1)) l`, ingestLock,
		).Scan(&now); err != nil {
			return fmt.Errorf("take ingest lock: %w", err)
		}
		if err := lockDays(ctx, tx, items); err != nil {
			return err
		}
		for i := range items {
			it := &items[i]
			stored, found, err := findStory(ctx, tx, *it)
			if err != nil {
				return err
			}
			if found {
				n.Duplicates++
				if refresh && stored.Refresh(*it) {
					if err := saveRefresh(ctx, tx, stored); err != nil {
						return err
					}
					if err := linkLone(ctx, tx, stored); err != nil {
						return err
					}
					n.Updated++
				}
				continue
			}
			var id int64
			err = tx.QueryRow(ctx, `
				INSERT INTO items (published_on, title, summary, url, language, countries, regions, topics,
				                   fingerprint, ingested_at, tag_reasons, edited_fields, title_tokens, translation_keys)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
				ON CONFLICT (fingerprint) DO NOTHING
				RETURNING id`,
				it.PublishedOn.Time, it.Title, it.Summary, it.URL, it.Language,
				nonNil(it.Countries), nonNil(it.Regions), nonNil(it.Topics), it.Fingerprint, now,
				it.TagReasons, nonNil(it.EditedFields), nonNil(it.TitleTokens), nonNil(it.TranslationKeys)).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				n.Duplicates++ // stored by an import that committed meanwhile
				continue
			}
			if err != nil {
				return fmt.Errorf("insert item: %w", err)
			}
			n.Imported++
			if err := linkTranslations(ctx, tx, id, *it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return domain.StoreCounts{}, err
	}
	return n, nil
}

// lockDays takes, in day order, the locks of every day an item of items
// could meet a near-duplicate on (its day and the days either side).
func lockDays(ctx context.Context, tx pgx.Tx, items []domain.Item) error {
	var days []int32
	for _, it := range items {
		d := int32(it.PublishedOn.Unix() / 86400)
		days = append(days, d-1, d, d+1)
	}
	slices.Sort(days)
	days = slices.Compact(days)
	// unnest returns the array in order, so the locks are taken in order.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1::int, d) FROM unnest($2::int[]) AS d`,
		dayLockClass, days); err != nil {
		return fmt.Errorf("take day locks: %w", err)
	}
	return nil
}

// storyColumns are what recognising and refreshing a stored story needs.
const storyColumns = `id, published_on, title, summary, url, language, countries, regions, topics,
	tag_reasons, edited_fields, fingerprint, title_tokens, translation_keys`

func scanStory(r pgx.Row) (domain.Item, error) {
	var it domain.Item
	var day time.Time
	err := r.Scan(&it.ID, &day, &it.Title, &it.Summary, &it.URL, &it.Language, &it.Countries, &it.Regions, &it.Topics,
		&it.TagReasons, &it.EditedFields, &it.Fingerprint, &it.TitleTokens, &it.TranslationKeys)
	it.PublishedOn = domain.Date{Time: day}
	return it, err
}

// findStory looks for the stored item that it is a new copy of: the one
// with its fingerprint, else the most similar near-duplicate published
// within a day. The item found is locked, so an editor's change to it
// cannot slip between reading and refreshing it. NO KEY UPDATE (ingest
// changes no key): a poll meets stories in its feed's order, and a link
// of another source's poll to them (LinkSourceItems), or a retraining's
// suggestions for them, take them FOR KEY SHARE for their foreign keys
// in another order; FOR UPDATE would make each wait for the other.
func findStory(ctx context.Context, tx pgx.Tx, it domain.Item) (domain.Item, bool, error) {
	stored, err := scanStory(tx.QueryRow(ctx, `SELECT `+storyColumns+` FROM items WHERE fingerprint = $1 FOR NO KEY UPDATE`, it.Fingerprint))
	switch {
	case err == nil:
		return stored, true, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return domain.Item{}, false, fmt.Errorf("find item by fingerprint: %w", err)
	}
	if len(it.TitleTokens) == 0 {
		return domain.Item{}, false, nil
	}
	rows, err := tx.Query(ctx, `
		SELECT `+storyColumns+` FROM items
		WHERE published_on BETWEEN $1::date - 1 AND $1::date + 1 AND language = $2
		ORDER BY id`, it.PublishedOn.Time, it.Language)
	if err != nil {
		return domain.Item{}, false, fmt.Errorf("find near-duplicates: %w", err)
	}
	candidates, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanStory(r) })
	if err != nil {
		return domain.Item{}, false, fmt.Errorf("find near-duplicates: %w", err)
	}
	best, bestScore := int64(0), 0.0
	for _, c := range candidates {
		if !domain.NearDuplicate(c, it) {
			continue
		}
		if s := domain.TitleSimilarity(c.TitleTokens, it.TitleTokens); s > bestScore {
			best, bestScore = c.ID, s
		}
	}
	if best == 0 {
		return domain.Item{}, false, nil
	}
	stored, err = scanStory(tx.QueryRow(ctx, `SELECT `+storyColumns+` FROM items WHERE id = $1 FOR NO KEY UPDATE`, best))
	if err != nil {
		return domain.Item{}, false, fmt.Errorf("lock near-duplicate: %w", err)
	}
	return stored, true, nil
}

// saveRefresh writes what domain.Item.Refresh may change.
func saveRefresh(ctx context.Context, tx pgx.Tx, it domain.Item) error {
	_, err := tx.Exec(ctx, `
		UPDATE items SET title = $2, summary = $3, url = $4, countries = $5, regions = $6, topics = $7,
		       tag_reasons = $8, translation_keys = $9, updated_at = now()
		WHERE id = $1`,
		it.ID, it.Title, it.Summary, it.URL, nonNil(it.Countries), nonNil(it.Regions), nonNil(it.Topics),
		it.TagReasons, nonNil(it.TranslationKeys))
	if err != nil {
		return fmt.Errorf("refresh item: %w", err)
	}
	return nil
}

// linkLone links a stored item that came again with new translation keys
// (its feed now names the version in the other language, published since)
// to that version's story, when it is in no story yet and no editor has
// set its links.
func linkLone(ctx context.Context, tx pgx.Tx, it domain.Item) error {
	if it.IsEdited(domain.FieldTranslations) {
		return nil
	}
	var alone bool
	err := tx.QueryRow(ctx, `
		SELECT translation_of IS NULL AND NOT EXISTS (SELECT 1 FROM items v WHERE v.translation_of = $1)
		FROM items WHERE id = $1`, it.ID).Scan(&alone)
	if err != nil {
		return fmt.Errorf("find item's story: %w", err)
	}
	if !alone {
		return nil
	}
	return linkTranslations(ctx, tx, it.ID, it)
}

// linkTranslations makes the new item id a version of the stored story in
// another language that it agrees with by its translation keys, unless
// that story already has a version in the item's language. They agree
// when the two links are the same address but for the language ("l:"
// keys), or when each names the other as a translation: its alternate
// ("a:") is the other's link ("u:"), both ways. One side's word is not
// enough, as search engines also ignore an hreflang the other page does
// not return: any feed can name any address, and a one-sided claim
// would let a feed put its story in another source's place for the
// readers of the other language. An editor's link (PATCH translation_of)
// needs no agreement; and an item whose links an editor set is not linked
// to by keys: the editor has ruled on it.
func linkTranslations(ctx context.Context, tx pgx.Tx, id int64, it domain.Item) error {
	var sameAddress, names, named []string // see above
	for _, k := range it.TranslationKeys {
		switch {
		case strings.HasPrefix(k, "l:"):
			sameAddress = append(sameAddress, k)
		case strings.HasPrefix(k, "a:"):
			names = append(names, "u:"+strings.TrimPrefix(k, "a:"))
		case strings.HasPrefix(k, "u:"):
			// Stored before claims had a key of their own, a version's
			// alternates were "u:" keys too: either way it names this one.
			named = append(named, k, "a:"+strings.TrimPrefix(k, "u:"))
		}
	}
	if len(sameAddress) == 0 && (len(names) == 0 || len(named) == 0) {
		return nil
	}
	var story int64
	err := tx.QueryRow(ctx, `
		SELECT COALESCE(o.translation_of, o.id) FROM items o
		WHERE (o.translation_keys && $1 OR (o.translation_keys && $5 AND o.translation_keys && $6))
		  AND o.language <> $2 AND o.id <> $3
		  AND NOT $4 = ANY(o.edited_fields)
		  AND NOT EXISTS (
		      SELECT 1 FROM items v
		      WHERE (v.id = COALESCE(o.translation_of, o.id) OR v.translation_of = COALESCE(o.translation_of, o.id))
		        AND v.language = $2)
		ORDER BY o.id LIMIT 1`, nonNil(sameAddress), it.Language, id, domain.FieldTranslations, nonNil(names), nonNil(named)).Scan(&story)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("find translations: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE items SET translation_of = $2 WHERE id = $1`, id, story); err != nil {
		return fmt.Errorf("link translation: %w", err)
	}
	return nil
}
