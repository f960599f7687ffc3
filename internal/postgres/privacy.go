package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"newsdigest/internal/domain"
)

// erasureKeyOf derives, from the app's SECRET_KEY, the key of the hash an
// erased address becomes (see erasedKeys).
func erasureKeyOf(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("newsdigest erased address"))
	return m.Sum(nil)
}

// erasedKeys are the forms an erased subscriber's address may be stored
// as: first the one erasure writes now, an HMAC of the lower-cased
// address keyed from SECRET_KEY, which names no one (without the key no
// one can test a guessed address against it) yet still recognises the
// same address signing up or being imported again, so nothing revives
// the person; then the same under the key SECRET_KEY replaced, if it is
// kept (SECRET_KEY_PREVIOUS); then the unkeyed SHA-256 that rows erased
// before the key existed hold, which cannot be re-keyed without the
// address.
func (db *DB) erasedKeys(email string) []string {
	addr := []byte(strings.ToLower(email))
	var out []string
	for _, key := range db.erasureKeys {
		m := hmac.New(sha256.New, key)
		m.Write(addr)
		out = append(out, domain.ErasedAddressPrefix+hex.EncodeToString(m.Sum(nil)))
	}
	legacy := sha256.Sum256(addr)
	return append(out, domain.ErasedAddressPrefix+hex.EncodeToString(legacy[:]))
}

// purgeUnconfirmedSQL deletes up to $2 sign-ups never confirmed, older
// than $1, of the statuses $3 (domain.SubscriberPurge). It runs every
// minute: the pending status written out lets the plan a prepared
// statement keeps read the few unconfirmed sign-ups from their partial
// index (subscribers_unconfirmed), where it read every subscriber ever
// kept, erased and unsubscribed ones included.
var purgeUnconfirmedSQL = `
	DELETE FROM subscribers WHERE id IN (
		SELECT id FROM subscribers
		WHERE status = ANY($3) AND status = '` + string(domain.StatusPending) + `' AND confirmed_at IS NULL
		  AND returning_from IS NULL
		  AND created_at < now() - $1::interval
		  AND (confirm_expires_at IS NULL OR confirm_expires_at < now())
		ORDER BY id LIMIT $2
		FOR UPDATE SKIP LOCKED)
	  AND status = ANY($3) AND confirmed_at IS NULL AND returning_from IS NULL`

// maxPurge bounds the sign-ups one purge deletes, so it never holds many
// locks at once; the next run takes the rest.
const maxPurge = 1000

// PurgeUnconfirmed deletes (domain.SubscriberPurge), with their consent
// records, up to maxPurge sign-ups that are pending, were never confirmed
// and are no address's return (ReturnLapsedSignUps), are older than
// PendingKeptFor and whose confirmation link has lapsed (a recent sign-up
// again renews the link, and the person may still click it). It returns
// how many were deleted.
func (db *DB) PurgeUnconfirmed(ctx context.Context) (int64, error) {
	tag, err := db.pool.Exec(ctx, purgeUnconfirmedSQL, domain.PendingKeptFor, maxPurge, domain.SubscriberFrom(domain.SubscriberPurge))
	if err != nil {
		return 0, fmt.Errorf("purge unconfirmed sign-ups: %w", err)
	}
	return tag.RowsAffected(), nil
}

// ReturnLapsedSignUps puts back, up to maxPurge at a time, the addresses
// that had left or complained, were signed up again and whose
// confirmation link lapsed unconfirmed: each goes back to the status it
// had (returning_from), its link gone, with its consent records, choices
// and dates as they are. Deleting them as a new sign-up is deleted
// (domain.SubscriberPurge) would let a stranger's sign-up wipe out an
// opt-out or a complaint. It returns how many went back.
func (db *DB) ReturnLapsedSignUps(ctx context.Context) (int64, error) {
	tag, err := db.pool.Exec(ctx, `
		UPDATE subscribers SET status = returning_from, returning_from = NULL,
		       confirm_token = NULL, confirm_expires_at = NULL, confirm_due_at = NULL, confirm_claimed_at = NULL,
		       updated_at = now()
		WHERE id IN (
		    SELECT id FROM subscribers
		    WHERE status = $1 AND returning_from IS NOT NULL AND (confirm_expires_at IS NULL OR confirm_expires_at < now())
		    ORDER BY id LIMIT $2
		    FOR UPDATE SKIP LOCKED)
		  AND status = $1 AND returning_from IS NOT NULL`, domain.StatusPending, maxPurge)
	if err != nil {
		return 0, fmt.Errorf("return lapsed sign-ups: %w", err)
	}
	return tag.RowsAffected(), nil
}
