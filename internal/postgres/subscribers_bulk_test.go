package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

func openBulkDB(t *testing.T) *postgres.DB {
	t.Helper()
	return testenv.Database(t)
}

// rowSource is an ImportSource over a slice; failAt > 0 makes reading
// fail before that row, and refuse makes the rows refused at the end.
type rowSource struct {
	rows   []domain.ImportRow
	i      int
	failAt int
	refuse error
	err    error
}

var errRead = errors.New("connection reset while reading")

func (s *rowSource) Next() bool {
	if s.failAt > 0 && s.i+1 == s.failAt {
		s.err = errRead
		return false
	}
	if s.i == len(s.rows) {
		s.err = s.refuse
		return false
	}
	s.i++
	return true
}

func (s *rowSource) Row() domain.ImportRow { return s.rows[s.i-1] }
func (s *rowSource) Err() error            { return s.err }

func row(email string, skip bool) domain.ImportRow {
	return domain.ImportRow{Email: email, Skip: skip, Token: token.New(),
		Filter: domain.Filter{Countries: []string{"CR"}, Language: "en", Mode: domain.ModeAny}}
}

func storedEmails(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	var out []string
	err := db.EachSubscriber(context.Background(), domain.SubscriberFilter{}, func(s domain.Subscriber) error {
		out = append(out, s.Email)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportSubscribersWritesAllOrNothing(t *testing.T) {
	t.Parallel()
	db := openBulkDB(t)
	ctx := context.Background()
	consent := domain.Consent{At: time.Now(), IP: "192.0.2.1", UserAgent: "test", FormVersion: "csv-import"}
	rows := []domain.ImportRow{row("a@example.org", false), row("b@example.org", false)}

	refused := errors.New("row 3 is invalid")
	for _, src := range []*rowSource{
		{rows: rows, refuse: refused},
		{rows: rows, failAt: 2},
	} {
		_, _, err := db.ImportSubscribers(ctx, src, consent)
		if !errors.Is(err, refused) && !errors.Is(err, errRead) {
			t.Errorf("err = %v, want the source's own error", err)
		}
	}
	if got := storedEmails(t, db); len(got) != 0 {
		t.Fatalf("a refused import stored %q", got)
	}

	// A skipped row holds its address's place: the later row for the same
	// address (in another case) is skipped as well.
	src := &rowSource{rows: []domain.ImportRow{
		row("a@example.org", false), row("gone@example.org", true), row("Gone@EXAMPLE.org", false), row("b@example.org", false),
	}}
	imported, skipped, err := db.ImportSubscribers(ctx, src, consent)
	if err != nil || imported != 2 || skipped != 2 {
		t.Fatalf("import = %d imported, %d skipped, %v; want 2 and 2", imported, skipped, err)
	}
	if got := storedEmails(t, db); !slices.Equal(got, []string{"a@example.org", "b@example.org"}) {
		t.Errorf("stored %q", got)
	}
}

// Imports running at once, with overlapping addresses in opposite
// orders, neither deadlock nor store an address twice.
func TestImportSubscribersConcurrently(t *testing.T) {
	t.Parallel()
	db := openBulkDB(t)
	ctx := context.Background()
	const n = 2000
	var forward, backward []domain.ImportRow
	for i := range n {
		forward = append(forward, row(fmt.Sprintf("p%05d@example.org", i), false))
		backward = append(backward, row(fmt.Sprintf("p%05d@example.org", n-1-i+n/2), false))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, rows := range [][]domain.ImportRow{forward, backward, forward, backward} {
		wg.Go(func() {
			imported, _, err := db.ImportSubscribers(ctx, &rowSource{rows: rows}, domain.Consent{At: time.Now()})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += imported
			mu.Unlock()
		})
	}
	wg.Wait()
	if want := n + n/2; total != want || len(storedEmails(t, db)) != want {
		t.Errorf("imported %d in all, stored %d; want %d", total, len(storedEmails(t, db)), want)
	}
}

// TestImportSubscribersConsentNamesTheOperator: each imported person's
// consent record names the operator who attested it, beside their
// request's IP and browser.
func TestImportSubscribersConsentNamesTheOperator(t *testing.T) {
	t.Parallel()
	db := openBulkDB(t)
	ctx := context.Background()
	consent := domain.Consent{At: time.Now(), IP: "192.0.2.1", UserAgent: "editor's browser", FormVersion: "csv-import", Actor: "ana"}
	if _, _, err := db.ImportSubscribers(ctx, &rowSource{rows: []domain.ImportRow{row("a@example.org", false)}}, consent); err != nil {
		t.Fatal(err)
	}
	var id int64
	db.EachSubscriber(ctx, domain.SubscriberFilter{}, func(s domain.Subscriber) error { id = s.ID; return nil })
	got, err := db.SubscriberConsents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Action != "import" || got[0].Actor != "ana" || got[0].IP != "192.0.2.1" || got[0].UserAgent != "editor's browser" {
		t.Errorf("consent record %+v; want one import by ana from 192.0.2.1", got)
	}
}
