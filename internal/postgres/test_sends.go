package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// SaveTestSend keeps a test send for the worker and returns its id,
// removing those a lost task left over a day ago on the way. A test send
// whose form key (domain.TestSend.Key) the same editor sent before is
// the same form sent twice: nothing is kept, and made is false.
func (db *DB) SaveTestSend(ctx context.Context, t domain.TestSend, by string) (id int64, made bool, err error) {
	f, err := json.Marshal(t.Filter)
	if err != nil {
		return 0, false, fmt.Errorf("save test send: %w", err)
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM test_sends WHERE created_at < now() - interval '1 day'`); err != nil {
			return err
		}
		if t.Key != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM test_send_keys WHERE created_at < now() - interval '1 day'`); err != nil {
				return err
			}
			// A second sending of the form waits here for the first's
			// commit, then finds its key.
			tag, err := tx.Exec(ctx, `INSERT INTO test_send_keys (created_by, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`, by, t.Key)
			if err != nil || tag.RowsAffected() == 0 {
				return err
			}
		}
		made = true
		return tx.QueryRow(ctx, `
			INSERT INTO test_sends (edition_id, subscriber_id, filter, recipient, created_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			t.EditionID, t.SubscriberID, f, t.Recipient, by).Scan(&id)
	})
	if err != nil {
		return 0, false, fmt.Errorf("save test send: %w", err)
	}
	return id, made, nil
}

// LoadTestSend returns a test send; errs.NotFound once it is done.
func (db *DB) LoadTestSend(ctx context.Context, id int64) (domain.TestSend, error) {
	t := domain.TestSend{ID: id}
	var f []byte
	err := db.pool.QueryRow(ctx, `SELECT edition_id, subscriber_id, filter, recipient FROM test_sends
		WHERE id = $1 AND finished_at IS NULL`, id).
		Scan(&t.EditionID, &t.SubscriberID, &f, &t.Recipient)
	if err != nil {
		return t, notFound(err, "test send")
	}
	if err := json.Unmarshal(f, &t.Filter); err != nil {
		return t, fmt.Errorf("test send %d: filter: %w", id, err)
	}
	return t, nil
}

// FinishTestSend records how a test send went (domain.TestSendSent,
// TestSendRefused or TestSendFailed, with why) and forgets what it held
// of anyone: the address, and the subscriber and their choices of a
// preview as a named subscriber. A test send done already is left as it
// is.
func (db *DB) FinishTestSend(ctx context.Context, id int64, outcome, failure string) error {
	_, err := db.pool.Exec(ctx, `UPDATE test_sends SET recipient = NULL, subscriber_id = 0, filter = '{}',
		outcome = $2, failure = $3, finished_at = now()
		WHERE id = $1 AND finished_at IS NULL`, id, outcome, failure)
	if err != nil {
		return fmt.Errorf("finish test send: %w", err)
	}
	return nil
}

// TestSendsBy are the test sends editor by asked for in the last day,
// the newest first, at most limit.
func (db *DB) TestSendsBy(ctx context.Context, by string, limit int) ([]domain.TestSendResult, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, edition_id, created_at, finished_at, coalesce(outcome, ''), failure
		FROM test_sends WHERE created_by = $1 AND created_at > now() - $2::interval
		ORDER BY created_at DESC, id DESC LIMIT $3`, by, domain.TestSendKeptFor, limit)
	if err != nil {
		return nil, fmt.Errorf("test sends: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.TestSendResult, error) {
		var t domain.TestSendResult
		err := r.Scan(&t.ID, &t.EditionID, &t.CreatedAt, &t.FinishedAt, &t.Outcome, &t.Failure)
		return t, err
	})
}
