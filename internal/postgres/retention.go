package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"newsdigest/internal/domain"
)

// PurgeExpired deletes what is kept for a time (domain.DraftKeptFor,
// domain.TestSendKeptFor, domain.ClickNonceKeptFor, a console session's
// expiry) once that time is up. Each of these was otherwise deleted only
// by the next write of its kind: an import's preview, a test send, a
// counted click, a login. A desk that imports one list and never
// previews another kept those addresses for good, beyond the reach of
// an erasure; with click counting turned off, the nonces stayed too.
// Each delete is its own statement, so a failure in one leaves the
// others done.
func (db *DB) PurgeExpired(ctx context.Context) (domain.Expired, error) {
	var out domain.Expired
	steps := []struct {
		n   *int64
		sql string
		arg time.Duration
	}{
		{&out.Drafts, `DELETE FROM import_drafts WHERE created_at < now() - $1::interval`, domain.DraftKeptFor},
		{&out.TestSends, `DELETE FROM test_sends WHERE created_at < now() - $1::interval`, domain.TestSendKeptFor},
		{&out.TestSendKeys, `DELETE FROM test_send_keys WHERE created_at < now() - $1::interval`, domain.TestSendKeptFor},
		{&out.Sessions, `DELETE FROM admin_sessions WHERE expires_at < now() - $1::interval`, 0}, // past its expiry
		{&out.ClickNonces, `DELETE FROM click_nonces WHERE first_at < now() - $1::interval`, domain.ClickNonceKeptFor},
	}
	var failed error
	for _, s := range steps {
		tag, err := db.pool.Exec(ctx, s.sql, s.arg)
		if err != nil {
			failed = errors.Join(failed, fmt.Errorf("purge expired: %s: %w", s.sql, err))
			continue
		}
		*s.n = tag.RowsAffected()
	}
	return out, failed
}
