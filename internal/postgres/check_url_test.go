package postgres

import (
	"strings"
	"testing"
)

// TestCheckURLRefusesWhatThePoolCannotRead: a DATABASE_URL pgx cannot
// read (a bad sslmode or pool setting) is refused before a program
// starts, naming the variable and never repeating the password.
func TestCheckURLRefusesWhatThePoolCannotRead(t *testing.T) {
	for _, raw := range []string{
		"postgres://newsdigest:s3cret-pw@db.internal/newsdigest?sslmode=bogus",
		"postgres://newsdigest:s3cret-pw@db.internal/newsdigest?pool_max_conns=-3",
		"postgres://newsdigest:s3cret-pw@db.internal/newsdigest?connect_timeout=soon",
		// Too few for a compile or a retraining beside another: each holds
		// a connection while it uses others.
		"postgres://newsdigest:s3cret-pw@db.internal/newsdigest?pool_max_conns=2",
	} {
		err := CheckURL(raw)
		if err == nil || !strings.HasPrefix(err.Error(), "DATABASE_URL:") {
			t.Errorf("%s: err = %v, want one starting with DATABASE_URL:", raw, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	if err := CheckURL("postgresql://newsdigest:pw@db.internal:5432/newsdigest?sslmode=require&pool_max_conns=8"); err != nil {
		t.Errorf("a sound DATABASE_URL refused: %v", err)
	}
}
