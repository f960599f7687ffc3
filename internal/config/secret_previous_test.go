package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SECRET_KEY_PREVIOUS is the key SECRET_KEY replaced, kept to check what
// it signed: optional, as long as a key, not the key itself, and read from
// a file like the other secrets.
func TestLoadSecretKeyPrevious(t *testing.T) {
	c, err := Load(env(map[string]string{"SECRET_KEY": key}))
	if err != nil || c.PreviousSecretKeys() != nil {
		t.Fatalf("without it: %v, %v; want no previous key", c.PreviousSecretKeys(), err)
	}
	old := "an-older-secret-key-of-32-chars-or-more"
	c, err = Load(env(map[string]string{"SECRET_KEY": key, "SECRET_KEY_PREVIOUS": old}))
	if err != nil || len(c.PreviousSecretKeys()) != 1 || string(c.PreviousSecretKeys()[0]) != old {
		t.Fatalf("with it: %q, %v", c.PreviousSecretKeys(), err)
	}
	file := filepath.Join(t.TempDir(), "previous")
	if err := os.WriteFile(file, []byte(old+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(env(map[string]string{"SECRET_KEY": key, "SECRET_KEY_PREVIOUS_FILE": file}))
	if err != nil || len(c.PreviousSecretKeys()) != 1 || string(c.PreviousSecretKeys()[0]) != old {
		t.Fatalf("from a file: %q, %v", c.PreviousSecretKeys(), err)
	}
	for _, bad := range []string{"q7Zr2k9", key} {
		_, err := Load(env(map[string]string{"SECRET_KEY": key, "SECRET_KEY_PREVIOUS": bad}))
		if err == nil || !strings.HasPrefix(err.Error(), "SECRET_KEY_PREVIOUS:") || strings.Contains(err.Error(), bad) {
			t.Errorf("SECRET_KEY_PREVIOUS=%q: %v; want an error naming the variable, not the value", bad, err)
		}
	}
}
