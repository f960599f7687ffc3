package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileValues are sound values for every setting that may come from a file.
var fileValues = map[string]string{
	"SECRET_KEY":          key,
	"SECRET_KEY_PREVIOUS": "an-older-secret-key-of-32-chars-or-more",
	"ADMIN_TOKEN":         "test-admin-token-0123456789",
	"ADMIN_PASSWORD":      "correct horse battery staple",
	"DATABASE_URL":        "postgres://newsdigest:s3cr%40t@db.internal:5432/newsdigest?sslmode=require",
	"REDIS_URL":           "redis://:r3dis-pass@redis.internal:6379/0",
	"SMTP_URL":            "smtp://mailer:p%40ss@relay.example.org:587?tls=starttls",
	// Mailgun's webhook key needs BOUNCE_DOMAIN, which needsWith gives.
	"MAILGUN_WEBHOOK_SIGNING_KEY": "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
}

// needsWith are the settings some secrets need beside them.
var needsWith = map[string]string{"BOUNCE_DOMAIN": "bounce.localhost"}

// writeSecret writes content to a file of its own and returns its path.
func writeSecret(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), strings.ToLower(name))
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSecretsFromFiles: each secret may be given as a file, as Docker
// and Kubernetes mount them; the line break that ends the file is not
// part of the value, a space inside it is.
func TestSecretsFromFiles(t *testing.T) {
	vars := map[string]string{}
	for k, v := range needsWith {
		vars[k] = v
	}
	for name, v := range fileValues {
		ending := "\n"
		if name == "ADMIN_TOKEN" {
			ending = "\r\n" // written on Windows
		}
		vars[name+"_FILE"] = writeSecret(t, name, v+ending)
	}
	c, err := Load(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.SecretKey) != key || c.AdminToken != fileValues["ADMIN_TOKEN"] ||
		c.AdminPassword != fileValues["ADMIN_PASSWORD"] {
		t.Errorf("secrets from files: key %q, token %q, password %q", c.SecretKey, c.AdminToken, c.AdminPassword)
	}
	if c.DatabaseURL != fileValues["DATABASE_URL"] || c.RedisURL != fileValues["REDIS_URL"] {
		t.Errorf("URLs from files: %q, %q", c.DatabaseURL, c.RedisURL)
	}
	want := SMTP{Host: "relay.example.org", Port: 587, TLS: "starttls", Username: "mailer", Password: "p@ss"}
	if c.SMTP != want || c.SMTPUnset {
		t.Errorf("SMTP from a file = %+v (unset %v), want %+v", c.SMTP, c.SMTPUnset, want)
	}
}

// TestSecretLineEndInTheEnvironment: a token, password or key compared
// as text, given in the environment with the line break of the file it
// came from, is the same as from that file; a space inside it stays.
// SECRET_KEY and SECRET_KEY_PREVIOUS stay byte for byte as given: a
// deployment that ran on a key with its line break keeps its links,
// bounce addresses and erased addresses' hashes.
func TestSecretLineEndInTheEnvironment(t *testing.T) {
	vars := map[string]string{}
	for k, v := range needsWith {
		vars[k] = v
	}
	for name, v := range fileValues {
		vars[name] = v + "\n"
	}
	vars["ADMIN_TOKEN"] = fileValues["ADMIN_TOKEN"] + "\r\n"
	c, err := Load(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminToken != fileValues["ADMIN_TOKEN"] || c.AdminPassword != fileValues["ADMIN_PASSWORD"] ||
		c.Bounce.MailgunSigningKey != fileValues["MAILGUN_WEBHOOK_SIGNING_KEY"] {
		t.Errorf("from the environment with a line end: token %q, password %q, Mailgun key %q",
			c.AdminToken, c.AdminPassword, c.Bounce.MailgunSigningKey)
	}
	if string(c.SecretKey) != key+"\n" || string(c.SecretKeyPrevious) != fileValues["SECRET_KEY_PREVIOUS"]+"\n" {
		t.Errorf("SECRET_KEY and SECRET_KEY_PREVIOUS from the environment: %q, %q; want them as given", c.SecretKey, c.SecretKeyPrevious)
	}
	if c.DatabaseURL != fileValues["DATABASE_URL"] || c.RedisURL != fileValues["REDIS_URL"] {
		t.Errorf("URLs from the environment with a line end: %q, %q", c.DatabaseURL, c.RedisURL)
	}
}

// TestSecretInBothPlacesIsRefused: with NAME and NAME_FILE both set,
// which one the operator meant is unknown; start refuses, naming both.
func TestSecretInBothPlacesIsRefused(t *testing.T) {
	for _, name := range FileVariables {
		t.Run(name, func(t *testing.T) {
			vars := map[string]string{"SECRET_KEY": key, name: fileValues[name],
				name + "_FILE": writeSecret(t, name, fileValues[name])}
			for k, v := range needsWith {
				vars[k] = v
			}
			_, err := Load(env(vars))
			if err == nil || !strings.HasPrefix(err.Error(), name+" and "+name+"_FILE: both are set") {
				t.Fatalf("err = %v, want one naming %s and %s_FILE", err, name, name)
			}
		})
	}
}

// TestSecretFileThatGivesNothingIsRefused: a missing, unreadable or empty
// file stops the program, naming the variable, rather than leaving the
// secret unset or at its default.
func TestSecretFileThatGivesNothingIsRefused(t *testing.T) {
	for _, name := range FileVariables {
		for what, path := range map[string]string{
			"missing": filepath.Join(t.TempDir(), "nothing-here"),
			"empty":   writeSecret(t, name, "\n"),
			"a dir":   t.TempDir(),
		} {
			t.Run(name+" "+what, func(t *testing.T) {
				vars := map[string]string{name + "_FILE": path}
				if name != "SECRET_KEY" {
					vars["SECRET_KEY"] = key
				}
				_, err := Load(env(vars))
				if err == nil || !strings.HasPrefix(err.Error(), name+"_FILE: ") {
					t.Fatalf("err = %v, want one starting with %s_FILE:", err, name)
				}
			})
		}
	}
}

// TestSecretFromFileIsJudgedAsAValue: a weak secret in a file is refused
// as it would be in the environment.
func TestSecretFromFileIsJudgedAsAValue(t *testing.T) {
	_, err := Load(env(map[string]string{"SECRET_KEY_FILE": writeSecret(t, "SECRET_KEY", "change-me-0123456789abcdef0123456789abcdef\n")}))
	if err == nil || !strings.HasPrefix(err.Error(), "SECRET_KEY: is a placeholder") {
		t.Fatalf("err = %v, want SECRET_KEY refused as a placeholder", err)
	}
}
