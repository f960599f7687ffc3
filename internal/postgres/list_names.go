package postgres

import (
	"context"
	"fmt"
)

// ListNames returns the list's names the desk has set, by language.
func (db *DB) ListNames(ctx context.Context) (map[string]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT language, name FROM list_names`)
	if err != nil {
		return nil, fmt.Errorf("list names: %w", err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var lang, name string
		if err := rows.Scan(&lang, &name); err != nil {
			return nil, fmt.Errorf("list names: %w", err)
		}
		names[lang] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list names: %w", err)
	}
	return names, nil
}

// SetListNames stores the names of names in one transaction: a language
// with an empty name goes back to the default (its row is removed).
func (db *DB) SetListNames(ctx context.Context, names map[string]string, by string) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("set list names: %w", err)
	}
	defer tx.Rollback(ctx)
	for lang, name := range names {
		if name == "" {
			_, err = tx.Exec(ctx, `DELETE FROM list_names WHERE language = $1`, lang)
		} else {
			_, err = tx.Exec(ctx, `
				INSERT INTO list_names (language, name, updated_by) VALUES ($1, $2, $3)
				ON CONFLICT (language) DO UPDATE SET name = EXCLUDED.name, updated_at = now(), updated_by = EXCLUDED.updated_by`,
				lang, name, by)
		}
		if err != nil {
			return fmt.Errorf("set list names: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("set list names: %w", err)
	}
	return nil
}
