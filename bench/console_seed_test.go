package bench

import (
	"context"
	"fmt"

	"newsdigest/internal/postgres"
)

// seedSentEdition stores a finished edition that went to every active
// subscriber, as a weekly one at a million would leave it: 97% sent, 2%
// skipped (left since, or nothing for them that week), 1% failed, one
// group per thousand readers. The console's edition page reads it. The
// groups' sections are empty: no page shown here decodes them.
func seedSentEdition(ctx context.Context, db *postgres.DB) error {
	for _, q := range sentEditionSQL {
		if _, err := db.Pool().Exec(ctx, q); err != nil {
			return fmt.Errorf("seed a sent edition: %w", err)
		}
	}
	return nil
}

// sentEditionSQL are the statements seedSentEdition runs, in order.
var sentEditionSQL = []string{
	`INSERT INTO editions (status, published_from, published_to, items, total, sent, failed, skipped,
	                       created_at, started_at, sending_started_at, finished_at)
	 VALUES ('done', current_date - 7, current_date - 1, 300,
	         (SELECT count(*) FROM subscribers WHERE status = 'active'), 0, 0, 0,
	         now() - interval '2 hours', now() - interval '2 hours', now() - interval '110 minutes', now() - interval '1 hour')`,
	`INSERT INTO edition_groups (edition_id, key, language, sections)
	 SELECT (SELECT max(id) FROM editions), 'g' || g, CASE WHEN g % 3 = 0 THEN 'es' ELSE 'en' END, '[]'
	 FROM generate_series(0, (SELECT count(*) FROM subscribers WHERE status = 'active') / 1000) AS g`,
	`INSERT INTO deliveries (edition_id, subscriber_id, group_id, status, attempts, last_error, sent_at, reason, failure)
	 SELECT e.id, s.id, gr.id,
	        CASE WHEN s.id % 100 = 0 THEN 'failed' WHEN s.id % 50 = 1 THEN 'skipped' ELSE 'sent' END,
	        CASE WHEN s.id % 50 = 1 THEN 0 ELSE 1 END,
	        CASE WHEN s.id % 100 = 0 THEN '550 5.1.1 mailbox unavailable' ELSE '' END,
	        CASE WHEN s.id % 100 = 0 OR s.id % 50 = 1 THEN NULL ELSE now() - interval '90 minutes' END,
	        CASE WHEN s.id % 50 = 1 THEN (CASE WHEN s.id % 100 = 1 THEN 'left' ELSE 'nothing' END) ELSE '' END,
	        CASE WHEN s.id % 100 = 0 THEN 'permanent' ELSE '' END
	 FROM subscribers s
	 CROSS JOIN (SELECT max(id) AS id FROM editions) e
	 JOIN edition_groups gr ON gr.edition_id = e.id AND gr.key = 'g' || (s.id / 1000)
	 WHERE s.status = 'active'`,
	`UPDATE editions e SET
	    sent = (SELECT count(*) FROM deliveries WHERE edition_id = e.id AND status = 'sent'),
	    failed = (SELECT count(*) FROM deliveries WHERE edition_id = e.id AND status = 'failed'),
	    skipped = (SELECT count(*) FROM deliveries WHERE edition_id = e.id AND status = 'skipped')
	 WHERE e.id = (SELECT max(id) FROM editions)`,
}
