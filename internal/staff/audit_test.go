package staff

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"newsdigest/internal/domain"
)

// recorder keeps what Audit stores; the rest of Store is not used.
type recorder struct {
	Store
	entries []domain.AuditEntry
}

func (r *recorder) Audit(_ context.Context, e domain.AuditEntry) error {
	r.entries = append(r.entries, e)
	return nil
}

// TestAuditKeepsTheWords: an entry keeps its English detail and the
// format and arguments it was made from, for the console to say in
// another language.
func TestAuditKeepsTheWords(t *testing.T) {
	r := &recorder{}
	s := New(r, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Audit(context.Background(), "admin", "items.import", "items", nil, "%s: %d new, %d duplicates, %d updated", "listing", 3, 0, 0)
	s.Audit(context.Background(), "admin", "edition.resume", "edition", 4, "resumed after pausing itself")
	if len(r.entries) != 2 {
		t.Fatalf("%d entries", len(r.entries))
	}
	e := r.entries[0]
	if e.Detail != "listing: 3 new, 0 duplicates, 0 updated" || e.Words.Format != "%s: %d new, %d duplicates, %d updated" ||
		len(e.Words.Args) != 4 || e.Words.Text() != e.Detail {
		t.Errorf("import entry: %+v", e)
	}
	if e := r.entries[1]; e.Detail != "resumed after pausing itself" || e.Words.Format != e.Detail || e.ObjectID != "4" {
		t.Errorf("resume entry: %+v", e)
	}
}
