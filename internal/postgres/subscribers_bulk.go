package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// importLock serialises bulk subscriber imports (see ImportSubscribers).
const importLock = 0x6e6473756269 // "ndsubi"

// ImportSubscribers stores a list of people as active subscribers whose
// consent the operator attests, all in one transaction. Rows are copied
// into a temporary table as they are read, so a large list is never held
// in memory, then inserted in one statement. An address already stored,
// whatever its status, is left exactly as it is; of several rows with the
// same address only the first counts. Each new subscriber gets a consent
// record with action 'import' and c's details: the operator who attested
// the consent (c.Actor) and their request's IP and browser. It reports
// how many rows were imported and how many were skipped.
func (db *DB) ImportSubscribers(ctx context.Context, src domain.ImportSource, c domain.Consent) (imported, skipped int, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		imported, skipped, err = importSubscribers(ctx, tx, src, c, nil, db.erasedKeys)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return imported, skipped, nil
}

// importSubscribers is ImportSubscribers inside tx. With explain set, it
// also records there which rows will be skipped and why, before writing.
// erased gives the forms an address takes once erased (DB.erasedKeys):
// they are keyed, so computed here and copied with each row.
func importSubscribers(ctx context.Context, tx pgx.Tx, src domain.ImportSource, c domain.Consent, explain *domain.ImportPreview,
	erased func(string) []string) (imported, skipped int, err error) {
	// ON COMMIT DROP frees the name for the next import on this
	// pooled connection; a rollback drops it as well.
	if _, err := tx.Exec(ctx, `
		CREATE TEMP TABLE subscriber_import (
			ord int NOT NULL, line int NOT NULL, email text NOT NULL, countries text[] NOT NULL, topics text[] NOT NULL,
			language text NOT NULL, mode text NOT NULL, token text NOT NULL, skip boolean NOT NULL,
			erased_keys text[] NOT NULL, all_stories boolean NOT NULL
		) ON COMMIT DROP`); err != nil {
		return 0, 0, fmt.Errorf("create import table: %w", err)
	}
	rows := &importRows{src: src, erased: erased}
	copied, err := tx.CopyFrom(ctx, pgx.Identifier{"subscriber_import"},
		[]string{"ord", "line", "email", "countries", "topics", "language", "mode", "token", "skip", "erased_keys", "all_stories"}, rows)
	// The source's own error explains a failed copy better than the
	// server's "COPY from stdin failed", and invalid rows show only here.
	if srcErr := src.Err(); srcErr != nil {
		return 0, 0, srcErr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("copy import rows: %w", err)
	}
	active, err := domain.NextSubscriber("", domain.SubscriberImport)
	if err != nil {
		return 0, 0, err
	}
	// Imports wait for each other here, after their uploads are read:
	// two inserting the same addresses in different orders could
	// otherwise deadlock on each other's unique-index entries.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, importLock); err != nil {
		return 0, 0, fmt.Errorf("take import lock: %w", err)
	}
	if explain != nil {
		if err := explainSkips(ctx, tx, explain); err != nil {
			return 0, 0, err
		}
	}
	// DISTINCT ON keeps each address's first row; ON CONFLICT (no target,
	// so both the lower(email) and the token index count) leaves stored
	// addresses alone, which is what keeps an unsubscribed, bounced or
	// suppressed person from being revived; an erased one is known by its
	// keyed hash (erased_keys). The outer ORDER BY gives ids in file order.
	tag, err := tx.Exec(ctx, `
		WITH firsts AS (
			SELECT DISTINCT ON (lower(email)) * FROM subscriber_import ORDER BY lower(email), ord
		), added AS (
			INSERT INTO subscribers (email, status, all_stories, countries, topics, language, mode, token, confirmed_at)
			SELECT email, $5, all_stories, countries, topics, language, mode, token, now()
			FROM firsts WHERE NOT skip
			  AND NOT EXISTS (SELECT 1 FROM subscribers e WHERE lower(e.email) = ANY(firsts.erased_keys))
			ORDER BY ord
			ON CONFLICT DO NOTHING
			RETURNING id
		)
		INSERT INTO consents (subscriber_id, action, at, ip, user_agent, form_version, actor)
		SELECT id, 'import', $1, $2, $3, $4, $6 FROM added`,
		c.At, c.IP, truncate(c.UserAgent, 512), c.FormVersion, string(active), c.Actor)
	if err != nil {
		return 0, 0, fmt.Errorf("insert imported subscribers: %w", err)
	}
	imported = int(tag.RowsAffected())
	return imported, int(copied) - imported, nil
}

// importRows feeds an ImportSource to COPY, giving each row its place in
// the file.
type importRows struct {
	src    domain.ImportSource
	erased func(string) []string
	ord    int
	row    domain.ImportRow
}

func (r *importRows) Next() bool {
	if !r.src.Next() {
		return false
	}
	r.ord++
	r.row = r.src.Row()
	return true
}

func (r *importRows) Values() ([]any, error) {
	f := r.row.Filter
	return []any{r.ord, r.row.Line, r.row.Email, nonNil(f.Countries), nonNil(f.Topics), f.Language, f.Mode, r.row.Token, r.row.Skip,
		r.erased(r.row.Email), f.All}, nil
}

// Err is asked by pgx between chunks: only a failure to read stops the
// copy early, while invalid rows are the caller's to judge at the end.
func (r *importRows) Err() error { return r.src.Err() }
