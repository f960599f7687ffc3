package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// A compile writes a million rows; most of the database's work in it is
// these writes. The first run of an edition's compile COPYs its digests
// and deliveries straight into their tables, with ids taken from their
// sequences beforehand, so that the compile knows every row's id without
// reading it back (it queues send batches as it goes), and no row goes
// through a temporary table, a sort or a conflict check. A row that is
// there already (the compile run again after a crash) fails the COPY as a
// whole; that page is then written the careful way, keeping what is
// there.

// SaveGroups stores new groups and returns their ids by key; saving a key
// again (a compile run twice) returns the first id.
func (db *DB) SaveGroups(ctx context.Context, editionID int64, groups []domain.NewDigestGroup) (map[string]int64, error) {
	out, err := db.copyGroups(ctx, editionID, groups)
	if isUniqueViolation(err) {
		return db.upsertGroups(ctx, editionID, groups)
	}
	if err != nil {
		return nil, fmt.Errorf("save groups: %w", err)
	}
	return out, nil
}

func (db *DB) copyGroups(ctx context.Context, editionID int64, groups []domain.NewDigestGroup) (map[string]int64, error) {
	out := make(map[string]int64, len(groups))
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		ids, err := takeIDs(ctx, tx, "edition_groups", len(groups))
		if err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"edition_groups"}, []string{"id", "edition_id", "key", "language", "sections"},
			pgx.CopyFromSlice(len(groups), func(i int) ([]any, error) {
				g := groups[i]
				return []any{ids[i], editionID, g.Key, g.Language, json.RawMessage(g.Sections)}, nil
			}))
		if err != nil {
			return err
		}
		for i, g := range groups {
			out[g.Key] = ids[i]
		}
		return nil
	})
	return out, err
}

// InsertDeliveries writes an edition's delivery rows, pending with a
// digest and skipped without one (domain.DeliveryWrite); rows written
// after an editor cancelled the edition are skipped at once (any that
// slip in meanwhile are settled by SettleCancelled). Ids follow digests,
// so a send batch holds few distinct digests. It returns the ids of the
// rows with a digest, in order; nil when some rows were there already
// (they are kept as they are, and the others added).
func (db *DB) InsertDeliveries(ctx context.Context, editionID int64, rows []domain.NewDelivery) ([]int64, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b domain.NewDelivery) int {
		return cmp.Or(cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.SubscriberID, b.SubscriberID))
	})
	var grouped []int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var cancelled bool
		if err := tx.QueryRow(ctx, `SELECT reason = $2 FROM editions WHERE id = $1`, editionID, domain.ReasonCancelled).
			Scan(&cancelled); err != nil {
			return err
		}
		ids, err := takeIDs(ctx, tx, "deliveries", len(rows))
		if err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"deliveries"}, []string{"id", "edition_id", "subscriber_id", "group_id", "status", "reason"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := rows[i]
				if r.GroupID == 0 {
					return []any{ids[i], editionID, r.SubscriberID, nil, domain.DeliverySkipped, cmp.Or(r.SkipReason, "nothing matched")}, nil
				}
				if cancelled {
					return []any{ids[i], editionID, r.SubscriberID, r.GroupID, domain.DeliverySkipped, domain.ReasonCancelled}, nil
				}
				return []any{ids[i], editionID, r.SubscriberID, r.GroupID, domain.DeliveryPending, ""}, nil
			}))
		if err != nil {
			return err
		}
		grouped = grouped[:0]
		for i, r := range rows {
			if r.GroupID != 0 && !cancelled {
				grouped = append(grouped, ids[i])
			}
		}
		return nil
	})
	if isUniqueViolation(err) {
		return nil, db.upsertDeliveries(ctx, editionID, rows)
	}
	if err != nil {
		return nil, fmt.Errorf("copy deliveries: %w", err)
	}
	if grouped == nil {
		grouped = []int64{}
	}
	return grouped, nil
}

// takeIDsSQL takes $2 values of table $1's id sequence. The sequence is
// looked up once (OFFSET 0 keeps the subquery from being folded into the
// row source): looked up for every value, as the planner would otherwise
// do, the lookup costs six times the nextval.
const takeIDsSQL = `
	SELECT COALESCE(array_agg(v ORDER BY v), '{}') FROM (
	    SELECT nextval(q.seq) AS v
	    FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq OFFSET 0) q, generate_series(1, $2)) s`

// takeIDs takes n values of table's id sequence, in increasing order.
func takeIDs(ctx context.Context, tx pgx.Tx, table string, n int) ([]int64, error) {
	var ids []int64
	err := tx.QueryRow(ctx, takeIDsSQL, table, n).Scan(&ids)
	if err != nil {
		return nil, fmt.Errorf("take %d ids of %s: %w", n, table, err)
	}
	return ids, nil
}

// DeliveriesWritten reports whether an edition has any deliveries: a
// compile that finds some is running again after a crash.
func (db *DB) DeliveriesWritten(ctx context.Context, editionID int64) (bool, error) {
	var some bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE edition_id = $1)`, editionID).Scan(&some)
	if err != nil {
		return false, fmt.Errorf("deliveries written: %w", err)
	}
	return some, nil
}
