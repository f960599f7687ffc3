package staff

import (
	"strings"
	"testing"
)

func TestHashPasswordChecks(t *testing.T) {
	const pw = "correct horse battery"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want an argon2id PHC string with the set parameters", h)
	}
	if !CheckPassword(h, pw) {
		t.Error("the right password does not check")
	}
	for _, wrong := range []string{"", "correct horse battery ", "Correct horse battery", "correct horse"} {
		if CheckPassword(h, wrong) {
			t.Errorf("%q checks against the hash of %q", wrong, pw)
		}
	}
	h2, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	good, err := HashPassword("some password here")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	for name, phc := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01",
		"argon2i":        strings.Replace(good, "argon2id", "argon2i", 1),
		"other version":  strings.Replace(good, "v=19", "v=16", 1),
		"zero memory":    strings.Join([]string{"", parts[1], parts[2], "m=0,t=2,p=1", parts[4], parts[5]}, "$"),
		"huge memory":    strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=2,p=1", parts[4], parts[5]}, "$"),
		"many passes":    strings.Join([]string{"", parts[1], parts[2], "m=19456,t=99,p=1", parts[4], parts[5]}, "$"),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"empty key":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], ""}, "$"),
		"missing fields": "$argon2id$v=19$m=19456,t=2,p=1",
	} {
		if CheckPassword(phc, "some password here") {
			t.Errorf("%s: %q checks", name, phc)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	if err := ValidatePassword("password", "twelve chars and more", "ana@example.org"); err != nil {
		t.Errorf("a phrase: %v", err)
	}
	// Long enough, and still what an attacker tries first: a breached
	// password, a repeat, a keyboard walk, the editor's own address.
	for _, pw := range []string{"111111111111", "aaaaaaaaaaaa", "qwertyuiopasdfgh", "P@ssw0rd1234", "anaexample2026"} {
		if err := ValidatePassword("password", pw, "ana@example.org"); err == nil || !strings.HasPrefix(err.Error(), "password:") {
			t.Errorf("%q: %v, want refused naming the field", pw, err)
		}
	}
	if err := ValidatePassword("password", "ñandú ñandú", "ana@example.org"); err == nil || !strings.HasPrefix(err.Error(), "password:") {
		t.Errorf("11 characters (13 bytes): %v, want an error naming the field", err)
	}
	if err := ValidatePassword("password", strings.Repeat("x", 1025), "ana@example.org"); err == nil {
		t.Error("1025 bytes: accepted")
	}
}
