package postgres_test

import (
	"context"
	"testing"

	"newsdigest/internal/errs"
	"newsdigest/internal/testenv"
)

// TestEditorLoginOfNoText: an address that is not UTF-8, or holds a NUL,
// is no editor (errs.NotFound), not a database error.
func TestEditorLoginOfNoText(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	for _, email := range []string{"x\xff@example.org", "a\x00b@example.org"} {
		if _, _, err := db.EditorLogin(context.Background(), email); !errs.Is(err, errs.NotFound) {
			t.Errorf("EditorLogin(%q): %v, want errs.NotFound", email, err)
		}
	}
}
