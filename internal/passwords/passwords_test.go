package passwords

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The passwords the console and ADMIN_PASSWORD once accepted are refused,
// each for a reason; passphrases and random values are not.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want Weakness
	}{
		{"aaaaaaaaaaaa", Leaked},
		{"123456789012", Leaked},
		{"111111111111", Leaked},
		{"QWERTYUIOPASDFGH", Leaked}, // any case
		{"P@ssw0rd1234", Guessable},
		{"qwertyuiop[]", Guessable},
		{"newsdigest2026", Guessable},
		{"mariagarcia1985", Guessable},
		{"owner passphrase 4f9c1e77b2", Strong},
		{"first editor password 1", Strong},
		{"correct horse battery staple", Strong},
		{"ñandú corre al alba 7", Strong},
	} {
		if got := Check(tc.pw, Hints("maria.garcia@example.org")...); got != tc.want {
			t.Errorf("Check(%q) = %d, want %d (%.1f bits)", tc.pw, got, tc.want, GuessBits(tc.pw))
		}
	}
	// The account's own address is a hint: not a password for it.
	if Check("maria.garcia.example", Hints("maria.garcia@example.org")...) == Strong {
		t.Error("the account's own address passes as its password")
	}
}

// The list is sorted and lower-case, as Breached's binary search needs.
func TestBreachedListIsSorted(t *testing.T) {
	l := breachedList()
	if len(l) < 40000 || !slices.IsSorted(l) {
		t.Fatalf("breached list: %d entries, sorted %v", len(l), slices.IsSorted(l))
	}
	for _, p := range l {
		if p != strings.ToLower(p) || len(p) < 12 {
			t.Fatalf("breached list entry %q: want lower case and at least 12 characters", p)
		}
	}
}

// A long password is judged by its start, in bounded time, and is not
// weaker for its length.
func TestLongPasswords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 1024 {
		b.WriteByte(byte('a' + r.IntN(26)))
	}
	if Check(b.String()) != Strong {
		t.Error("1024 random letters judged weak")
	}
	if Check(strings.Repeat("ab", 512)) == Strong {
		t.Error("ab repeated judged strong")
	}
}
