package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// A temporarily failed delivery that an editor retries goes out as it was
// made. Meanwhile another edition holding the same stories (an editor's
// range over the same days) may have given the reader those stories,
// since the failed delivery did not count as received when it compiled
// (EarlierStories). Retried, the digest would bring them a second time;
// when the reader has since had every story in it, it is skipped instead
// (domain.ReasonReceivedSince), and nothing is lost.

// retryCompileWait is how long a retry waits for a compile under way
// before it asks the editor to try again.
const retryCompileWait = 10 * time.Second

// retryAfterCompiles holds the compile lock until tx ends, so that a
// retry takes its turn with compiles (CompileAlone). A compile reads
// which stories each reader's earlier digests gave them; a digest put
// back to pending while it runs would be counted by neither, and its
// stories would reach the reader twice. Two retries of editions sharing
// stories take turns the same way, each seeing what the other put back.
// A retry asked while a compile runs waits for it up to retryCompileWait,
// then fails asking the editor to try again.
func retryAfterCompiles(ctx context.Context, tx pgx.Tx, id int64) error {
	if _, err := tx.Exec(ctx, fmt.Sprintf(`SET LOCAL lock_timeout = %d`, retryCompileWait.Milliseconds())); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, compileLock)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
		return errs.New(errs.Conflict, "edition %d cannot be retried while an edition is being compiled; try again in a minute", id)
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `SET LOCAL lock_timeout TO DEFAULT`)
	return err
}

// receivedSince returns the deliveries of edition id to be retried
// (failed for now, of the statuses from, to an active reader) whose
// reader has had every story of their digest from another edition, sent
// or still to go. Only the editions sharing a story with this one are
// looked at: none, most often, and then nothing more is read. The digests
// are compared here, each read once, rather than in SQL, which would take
// every digest apart once per story of every delivery.
func receivedSince(ctx context.Context, tx pgx.Tx, id int64, failure string, from []string) ([]int64, error) {
	var overlapping []int64
	if err := tx.QueryRow(ctx, `
		SELECT COALESCE(array_agg(DISTINCT o.edition_id), '{}') FROM edition_items m
		JOIN edition_items o ON o.item_id = m.item_id AND o.edition_id <> m.edition_id
		WHERE m.edition_id = $1`, id).Scan(&overlapping); err != nil || len(overlapping) == 0 {
		return nil, err
	}
	type retried struct{ id, subscriber, group int64 }
	rows, err := tx.Query(ctx, `
		SELECT d.id, d.subscriber_id, d.group_id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
		WHERE d.edition_id = $1 AND d.`+failedSQL+` AND d.status = ANY($3) AND d.failure = $2
		  AND s.status = $4 AND d.group_id IS NOT NULL
		ORDER BY d.id FOR UPDATE OF d`, id, failure, from, domain.StatusActive)
	if err != nil {
		return nil, err
	}
	mine, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (retried, error) {
		var d retried
		return d, r.Scan(&d.id, &d.subscriber, &d.group)
	})
	if err != nil || len(mine) == 0 {
		return nil, err
	}
	readers := make([]int64, len(mine))
	groups := map[int64]bool{}
	for i, d := range mine {
		readers[i], groups[d.group] = d.subscriber, true
	}
	// What each reader had from the overlapping editions.
	theirs := map[int64][]int64{}
	rows, err = tx.Query(ctx, `
		SELECT subscriber_id, group_id FROM deliveries
		WHERE edition_id = ANY($1) AND subscriber_id = ANY($2) AND group_id IS NOT NULL
		  AND status IN (`+quoted(reachingStatuses())+`)`, overlapping, readers)
	if err != nil {
		return nil, err
	}
	var reader, group int64
	if _, err := pgx.ForEachRow(rows, []any{&reader, &group}, func() error {
		theirs[reader] = append(theirs[reader], group)
		groups[group] = true
		return nil
	}); err != nil {
		return nil, err
	}
	stories, err := groupStories(ctx, tx, groups)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, d := range mine {
		had := map[int64]bool{}
		for _, g := range theirs[d.subscriber] {
			for _, item := range stories[g] {
				had[item] = true
			}
		}
		all := len(had) > 0
		for _, item := range stories[d.group] {
			all = all && had[item]
		}
		if all {
			out = append(out, d.id)
		}
	}
	return out, nil
}

// groupStories reads the items of each digest (edition group) in groups.
func groupStories(ctx context.Context, tx pgx.Tx, groups map[int64]bool) (map[int64][]int64, error) {
	ids := make([]int64, 0, len(groups))
	for g := range groups {
		ids = append(ids, g)
	}
	rows, err := tx.Query(ctx, `SELECT id, sections FROM edition_groups WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]int64, len(ids))
	var id int64
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &raw}, func() error {
		var sections []struct {
			Items []int64 `json:"items"`
		}
		if err := json.Unmarshal(raw, &sections); err != nil {
			return fmt.Errorf("digest %d: %w", id, err)
		}
		for _, s := range sections {
			out[id] = append(out[id], s.Items...)
		}
		return nil
	})
	return out, err
}
