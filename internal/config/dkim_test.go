package config

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeKey writes key as PEM of type typ into dir and returns the path.
func writeKey(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func pkcs8(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestLoadDKIM(t *testing.T) {
	dir := t.TempDir()
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaFile := writeKey(t, dir, "rsa.pem", "PRIVATE KEY", pkcs8(t, rsa2048))
	rsaPKCS1 := writeKey(t, dir, "rsa1.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsa2048))
	edFile := writeKey(t, dir, "ed.pem", "PRIVATE KEY", pkcs8(t, ed))
	shortFile := writeKey(t, dir, "short.pem", "PRIVATE KEY", pkcs8(t, rsa1024))
	junkFile := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junkFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	load := func(domain, selector, files string) (*Config, error) {
		return Load(env(map[string]string{"SECRET_KEY": key, "MAIL_FROM": "News <digest@news.example.org>",
			"DKIM_DOMAIN": domain, "DKIM_SELECTOR": selector, "DKIM_PRIVATE_KEY_FILE": files}))
	}

	c, err := load("", "", "")
	if err != nil || c.DKIM != nil {
		t.Fatalf("unset: DKIM = %+v, %v; want none", c.DKIM, err)
	}
	for _, tc := range []struct{ selector, files string }{
		{"mail", rsaFile}, {"mail", rsaPKCS1}, {"ed", edFile}, {"rsa, ed", rsaFile + ", " + edFile},
	} {
		c, err := load("Example.org", tc.selector, tc.files)
		if err != nil {
			t.Fatalf("%s: %v", tc.files, err)
		}
		if c.DKIM.Domain != "example.org" || len(c.DKIM.Keys) != len(splitList(tc.files)) {
			t.Errorf("%s: DKIM = %+v", tc.files, c.DKIM)
		}
		for i, k := range c.DKIM.Keys {
			if k.Selector != splitList(tc.selector)[i] || k.Signer == nil {
				t.Errorf("%s: key %d = %+v", tc.files, i, k)
			}
		}
	}

	// DMARC's relaxed alignment: the same organisational domain as
	// MAIL_FROM's news.example.org.
	for _, d := range []string{"news.example.org", "mail.example.org", "EXAMPLE.ORG."} {
		if _, err := load(d, "mail", rsaFile); err != nil {
			t.Errorf("DKIM_DOMAIN=%s with MAIL_FROM at news.example.org: %v", d, err)
		}
	}

	for _, tc := range []struct {
		domain, selector, files string
		variable, says          string
	}{
		{"", "mail", rsaFile, "DKIM_DOMAIN", "not set"},
		{"example.org", "", rsaFile, "DKIM_SELECTOR", "not set"},
		{"example.org", "mail", "", "DKIM_PRIVATE_KEY_FILE", "not set"},
		{"not a domain", "mail", rsaFile, "DKIM_DOMAIN", "sending domain"},
		{"example.org", "mail", filepath.Join(dir, "missing.pem"), "DKIM_PRIVATE_KEY_FILE", "cannot read"},
		{"example.org", "mail", junkFile, "DKIM_PRIVATE_KEY_FILE", "not a PEM"},
		{"example.org", "mail", shortFile, "DKIM_PRIVATE_KEY_FILE", "1024 bits"},
		{"example.org", "a,b", rsaFile + "," + rsaPKCS1, "DKIM_PRIVATE_KEY_FILE", "two RSA keys"},
		{"example.org", "a,b,c", rsaFile + "," + edFile + "," + rsaPKCS1, "DKIM_PRIVATE_KEY_FILE", "at most two"},
		{"example.org", "mail", rsaFile + "," + edFile, "DKIM_SELECTOR", "1 selectors for 2"},
		{"example.org", "bad_selector", rsaFile, "DKIM_SELECTOR", "not a DNS label"},
		// Signed for another organisation than MAIL_FROM's: DKIM passes,
		// DMARC fails, and the operator would not know.
		{"other.net", "mail", rsaFile, "DKIM_DOMAIN", "news.example.org"},
		{"example.org.mailer.net", "mail", rsaFile, "DKIM_DOMAIN", "news.example.org"},
	} {
		_, err := load(tc.domain, tc.selector, tc.files)
		if err == nil {
			t.Errorf("%q %q %q: accepted", tc.domain, tc.selector, tc.files)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, tc.variable+": ") || !strings.Contains(msg, tc.says) || strings.Contains(msg, "\n") {
			t.Errorf("%q %q %q: error %q, want one line starting %s: and saying %q", tc.domain, tc.selector, tc.files, msg, tc.variable, tc.says)
		}
	}
}
