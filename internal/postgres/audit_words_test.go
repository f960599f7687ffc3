package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// TestAuditKeepsItsWords: an audit entry keeps, beside its English
// detail, the format and arguments it was made from, read back as fmt
// reads them; a detail cut short, or arguments jsonb cannot hold, keep
// the detail alone rather than losing the entry.
func TestAuditKeepsItsWords(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	words := domain.NewWords("%s: %d new, %d duplicates, %d updated", "listing", 3, 0, 1)
	long := strings.Repeat("x", 3000)
	for _, e := range []domain.AuditEntry{
		{Actor: "admin", Action: "items.import", ObjectType: "items", Detail: words.Text(), Words: words},
		{Actor: "admin", Action: "item.hide", ObjectType: "item", ObjectID: "1", Detail: `"` + long + `"`, Words: domain.NewWords("%q", long)},
		{Actor: "admin", Action: "item.hide", ObjectType: "item", ObjectID: "2", Detail: `"a\x00b"`, Words: domain.NewWords("%q", "a\x00b")},
	} {
		if err := db.Audit(ctx, e); err != nil {
			t.Fatalf("audit %s: %v", e.ObjectID, err)
		}
	}
	got, err := db.AuditLog(ctx, domain.AuditFilter{Limit: 10})
	if err != nil || len(got) != 3 {
		t.Fatalf("audit log: %d entries, %v", len(got), err)
	}
	if diff := cmp.Diff(words, got[2].Words); diff != "" || got[2].Words.Text() != got[2].Detail {
		t.Errorf("the import's words (-recorded +read):\n%s", diff)
	}
	for _, e := range got[:2] {
		if e.Words.Format != "" || len(e.Words.Args) != 0 {
			t.Errorf("entry %s keeps words %+v, want none", e.ObjectID, e.Words)
		}
	}
}

// TestAuditFindsWhoByAddressOrName: the audit log's "who" finds an
// editor by their address in any case, or by the part before the @,
// and no one else.
func TestAuditFindsWhoByAddressOrName(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	for _, actor := range []string{"eva@example.org", "evan@example.org", "admin"} {
		if err := db.Audit(ctx, domain.AuditEntry{Actor: actor, Action: "item.hide", ObjectType: "item", ObjectID: "1"}); err != nil {
			t.Fatal(err)
		}
	}
	for who, want := range map[string]string{"eva": "eva@example.org", "EVA@Example.org": "eva@example.org", "Admin": "admin"} {
		got, err := db.AuditLog(ctx, domain.AuditFilter{Actor: who, Limit: 10})
		if err != nil || len(got) != 1 || got[0].Actor != want {
			t.Errorf("who %q found %+v (%v), want the one entry of %s", who, got, err, want)
		}
	}
}
