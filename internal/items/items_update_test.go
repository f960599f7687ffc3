package items

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/staff"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

// TestItemEditNeedsOneConnection: an edit whose check must read the
// taxonomy (the desk's copy is stale) reads it before its transaction
// begins. Read inside it, the check waits for a second connection while
// holding one: with every connection of the pool held by edits, no edit
// and no other request of the web process could go on. A pool of one
// connection shows it at once.
func TestItemEditNeedsOneConnection(t *testing.T) {
	t.Parallel()
	url := testenv.DatabaseURL(t)
	testenv.Open(t, url) // migrated
	db := testenv.Open(t, url+"&pool_max_conns=1")
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": url, "SECRET_KEY": "9b41e07c2fd35a86e1c47b20d9f3a65e"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := New(Deps{Config: cfg, Store: db, Taxonomy: &taxonomy.Cache{Source: db}, Audit: staff.New(db, log), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	it := domain.Item{PublishedOn: domain.NewDate(2021, 3, 1), Title: "Costa Rica opens a centre", Language: "en", Fingerprint: "t:one"}
	if _, _, err := db.InsertItems(ctx, []domain.Item{it}); err != nil {
		t.Fatal(err)
	}
	stored, err := db.Items(ctx, domain.ItemFilter{Limit: 1})
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored items: %v %v", stored, err)
	}
	countries := []string{"CR"}
	got, err := d.Update(ctx, "editor@example.org", stored[0].ID, domain.ItemUpdate{Countries: &countries})
	if err != nil {
		t.Fatalf("the edit did not go through on one connection: %v", err)
	}
	if len(got.Countries) != 1 || got.Countries[0] != "CR" {
		t.Errorf("the edited item's countries are %v, want CR", got.Countries)
	}
	bad := []string{"ZZ"}
	if _, err := d.Update(ctx, "editor@example.org", stored[0].ID, domain.ItemUpdate{Countries: &bad}); err == nil {
		t.Error("an unknown country was accepted")
	}
}
