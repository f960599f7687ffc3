package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// SearchItems lists the items a search selects, newest first, one page
// (keyset, as Items) at a time.
func (db *DB) SearchItems(ctx context.Context, s domain.ItemSearch) ([]domain.Item, error) {
	sql := `SELECT ` + itemColumns + ` FROM items WHERE true`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	f := s.ItemFilter
	if f.Country != "" {
		sql += ` AND countries @> ARRAY[` + arg(f.Country) + `]::text[]`
	}
	if f.Topic != "" {
		sql += ` AND topics @> ARRAY[` + arg(f.Topic) + `]::text[]`
	}
	if f.From != nil {
		sql += ` AND published_on >= ` + arg(f.From.Time)
	}
	if f.To != nil {
		sql += ` AND published_on <= ` + arg(f.To.Time)
	}
	if words := strings.Fields(s.Text); len(words) > 0 {
		// Every word is in the title or the summary, wherever and in
		// whichever case; accents and apostrophes aside ("Dajabon"
		// finds "Dajabón"). A word is matched as written: % and _ are
		// not wildcards.
		from, to := arg(foldFrom), arg(foldTo)
		fold := func(col string) string { return `translate(` + col + `, ` + from + `, ` + to + `)` }
		for _, w := range words {
			p := fold(arg("%" + likeEscaper.Replace(w) + "%"))
			sql += ` AND (` + fold("title") + ` ILIKE ` + p + ` OR ` + fold("summary") + ` ILIKE ` + p + `)`
		}
	}
	if s.Language != "" {
		sql += ` AND language = ` + arg(s.Language)
	}
	if s.Untagged {
		sql += ` AND cardinality(countries) = 0 AND cardinality(regions) = 0 AND cardinality(topics) = 0`
	}
	if s.Hidden != nil {
		sql += ` AND hidden = ` + arg(*s.Hidden)
	}
	if f.After != nil {
		sql += ` AND (published_on, id) < (` + arg(f.After.PublishedOn.Time) + `, ` + arg(f.After.ID) + `)`
	}
	sql += ` ORDER BY published_on DESC, id DESC LIMIT ` + arg(f.Limit)
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanItem(r) })
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// foldFrom's letters are searched for as foldTo's, one for one: the
// accented letters of the desk's languages as their plain ones, the
// typographic apostrophe as the typewriter's.
const (
	foldFrom = "ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçŸÿ’‘"
	foldTo   = "AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuNnCcYy''"
)

// StoredStories returns, for each item, the id of the stored item an
// import would recognise it as (the same lookup the import makes), or 0.
// Nothing is written: the lookup's row locks go with its transaction,
// which is rolled back.
func (db *DB) StoredStories(ctx context.Context, items []domain.Item) ([]int64, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("look up stories: %w", err)
	}
	defer tx.Rollback(ctx)
	out := make([]int64, len(items))
	for i, it := range items {
		stored, found, err := findStory(ctx, tx, it)
		if err != nil {
			return nil, err
		}
		if found {
			out[i] = stored.ID
		}
	}
	return out, nil
}
