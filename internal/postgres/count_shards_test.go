package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// TestCountersDoNotDeadlockTwoImports: two transactions on connections
// whose backend pids agree modulo 16 (the connection's counter shard)
// each tag stories, one statement a story, with Guatemala and Mexico in
// opposite orders, as two feeds polled at once do. The story counters
// are sharded; sharing a shard, each waited for the other's counter row
// and PostgreSQL aborted one. Each transaction owns a shard now.
func TestCountersDoNotDeadlockTwoImports(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	db := testenv.Open(t, url)
	var stories []domain.Item
	for i, title := range []string{"Shelter opens", "Buses leave", "A fair is held", "Roads close"} {
		stories = append(stories, domain.Item{PublishedOn: domain.NewDate(2021, time.March, 1+i), Title: title,
			Summary: "A summary.", Language: "en", Fingerprint: "shard:" + title})
	}
	if _, _, err := db.InsertItems(ctx, stories); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	rows, err := db.Pool().Query(ctx, `SELECT title, id FROM items`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var title string
		var id int64
		if err := rows.Scan(&title, &id); err != nil {
			t.Fatal(err)
		}
		ids[title] = id
	}

	// Two connections on one shard: of 17, two share a pid modulo 16.
	byShard := map[uint32]*pgx.Conn{}
	var a, b *pgx.Conn
	for a == nil {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		shard := c.PgConn().PID() % 16
		if other, ok := byShard[shard]; ok {
			a, b = other, c
		}
		byShard[shard] = c
	}
	txA, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer txA.Rollback(ctx)
	txB, err := b.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer txB.Rollback(ctx)
	tag := func(tx pgx.Tx, title, country string) error {
		_, err := tx.Exec(ctx, `UPDATE items SET countries = $2 WHERE id = $1`, ids[title], []string{country})
		return err
	}
	if err := tag(txA, "Shelter opens", "GT"); err != nil {
		t.Fatal(err)
	}
	if err := tag(txB, "Buses leave", "MX"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 2)
	go func() { done <- tag(txA, "A fair is held", "MX") }()
	go func() { done <- tag(txB, "Roads close", "GT") }()
	for range 2 {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("tagging the second story: %v", err)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("the two imports still wait for each other after 60 s")
		}
	}
	for _, tx := range []pgx.Tx{txA, txB} {
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	counts := map[string]int64{}
	rows, err = db.Pool().Query(ctx, `SELECT code, sum(stories)::bigint FROM story_countries GROUP BY code`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			t.Fatal(err)
		}
		counts[code] = n
	}
	if counts["GT"] != 2 || counts["MX"] != 2 {
		t.Errorf("story counts %v; want 2 for GT and for MX", counts)
	}
}
