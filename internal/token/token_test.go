package token

import "testing"

func TestNewIsValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := New()
		if !Valid(tok) {
			t.Fatalf("New() = %q, not Valid", tok)
		}
		if seen[tok] {
			t.Fatalf("New() repeated %q", tok)
		}
		seen[tok] = true
	}
}

func TestValidRejects(t *testing.T) {
	for _, s := range []string{"", "short", "AAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAA/A", "AAAAAAAAAAAAAAAAAAAAAAA", "../../../../etc/passwd"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}
