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

func TestSplice(t *testing.T) {
	const ph = "PH"
	for _, tc := range []struct {
		s    string
		at   []int
		want string
		ok   bool
	}{
		{"a PH b PH", []int{2, 7}, "a tok b tok", true},
		{"a PH b PH", []int{7}, "a PH b tok", true}, // the story's PH stays
		{"no tokens", nil, "no tokens", true},
		{"a PH", []int{1}, "a PH", false},              // not at a placeholder
		{"a PH b PH", []int{7, 2}, "a PH b PH", false}, // out of order
		{"a P", []int{2}, "a P", false},                // past the end
	} {
		got, ok := Splice(tc.s, tc.at, ph, "tok")
		if got != tc.want || ok != tc.ok {
			t.Errorf("Splice(%q, %v) = %q, %v; want %q, %v", tc.s, tc.at, got, ok, tc.want, tc.ok)
		}
	}
}
