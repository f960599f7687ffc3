package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// A temporarily failed delivery that an editor retries goes out as it was
// made. Meanwhile another edition holding the same stories (an editor's
// range over the same days) may have given the reader those stories,
// since the failed delivery did not count as received when it compiled
// (EarlierStories). Retried, the digest would bring them a second time;
// when the reader has since had every story in it, it is skipped instead
// (domain.ReasonReceivedSince), and nothing is lost.

// overlappingEditions lists the other editions holding any of edition
// id's stories: none, most often (editions of new stories do not
// overlap), and then no delivery is looked at.
func overlappingEditions(ctx context.Context, tx pgx.Tx, id int64) ([]int64, error) {
	var out []int64
	err := tx.QueryRow(ctx, `
		SELECT COALESCE(array_agg(DISTINCT o.edition_id), '{}') FROM edition_items m
		JOIN edition_items o ON o.item_id = m.item_id AND o.edition_id <> m.edition_id
		WHERE m.edition_id = $1`, id).Scan(&out)
	return out, err
}

// receivedSinceSQL is true of a delivery (alias d) to be retried whose
// reader has had, in a digest of one of the editions $8 (the overlapping
// ones) sent or still to go, every story the delivery's digest holds.
func receivedSinceSQL() string {
	return `(cardinality($8::bigint[]) > 0 AND d.group_id IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM edition_groups g
		CROSS JOIN LATERAL json_array_elements(g.sections) sec
		CROSS JOIN LATERAL json_array_elements_text(sec->'items') it
		WHERE g.id = d.group_id AND NOT EXISTS (
		    SELECT 1 FROM deliveries o JOIN edition_groups og ON og.id = o.group_id
		    WHERE o.subscriber_id = d.subscriber_id AND o.edition_id = ANY($8)
		      AND o.status IN (` + quoted(reachingStatuses()) + `)
		      AND og.sections::jsonb @> jsonb_build_array(jsonb_build_object('items', jsonb_build_array(it::bigint))))))`
}

