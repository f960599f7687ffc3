package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// exportPage is how many subscribers EachSubscriber reads per query.
const exportPage = 1000

// Subscribers lists subscribers in id order, one page at a time.
func (db *DB) Subscribers(ctx context.Context, f domain.SubscriberFilter) ([]domain.Subscriber, error) {
	where, args := subscriberWhere(f)
	args = append(args, f.After, f.Limit)
	sql := `SELECT ` + subscriberColumns + ` FROM subscribers WHERE ` + where +
		fmt.Sprintf(` AND id > $%d ORDER BY id LIMIT $%d`, len(args)-1, len(args))
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list subscribers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Subscriber, error) { return scanSubscriber(r) })
}

// subscriberWhere is the condition selecting what f asks for, and its
// arguments; paging (After, Limit) is the caller's.
func subscriberWhere(f domain.SubscriberFilter) (string, []any) {
	where := `true`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	switch f.Status {
	case "":
	case domain.ListPaused:
		// From the partial index of those who ever paused (00051).
		where += ` AND status = ` + arg(domain.StatusActive) + ` AND paused_until IS NOT NULL AND paused_until > now()`
	default:
		where += ` AND status = ` + arg(f.Status)
	}
	if f.Country != "" {
		// Someone taking all stories gets this country's too.
		where += ` AND (all_stories OR countries @> ARRAY[` + arg(f.Country) + `]::text[])`
	}
	if f.Topic != "" {
		where += ` AND (all_stories OR topics @> ARRAY[` + arg(f.Topic) + `]::text[])`
	}
	if f.Language != "" {
		where += ` AND language = ` + arg(f.Language)
	}
	if f.Address != "" {
		// strpos, not LIKE: the text typed is matched as it is, % and _
		// included.
		where += ` AND strpos(lower(email), lower(` + arg(f.Address) + `)) > 0`
	}
	return where, args
}

// EachSubscriber calls fn for every subscriber f selects, in id order. It
// reads a page at a time and holds no connection while fn runs, so a
// slow reader of an export neither fills memory nor ties up the pool;
// subscribers added meanwhile may or may not be included. f.After and
// f.Limit are ignored.
func (db *DB) EachSubscriber(ctx context.Context, f domain.SubscriberFilter, fn func(domain.Subscriber) error) error {
	f.After, f.Limit = 0, exportPage
	for {
		page, err := db.Subscribers(ctx, f)
		if err != nil {
			return err
		}
		for _, s := range page {
			if err := fn(s); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		f.After = page[len(page)-1].ID
	}
}
