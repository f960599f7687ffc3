package postgres

import (
	"context"

	"newsdigest/internal/domain"
)

// DeleteSource stops polling a source and returns it as it was. The
// items it delivered stay: only the record of which source brought them
// goes (source_items cascades).
func (db *DB) DeleteSource(ctx context.Context, id int64) (domain.Source, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `
		WITH s AS (
			SELECT * FROM sources WHERE id = $1
		), gone AS (
			DELETE FROM sources WHERE id = $1
		)
		SELECT `+sourceColumns+` FROM s`, id))
	if err != nil {
		return domain.Source{}, notFound(err, "source")
	}
	return s, nil
}
