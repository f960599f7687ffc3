package bench

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

// dkimEnv reads BENCH_DKIM ("rsa", "ed25519" or "rsa,ed25519"; unset or
// "off": no signing) and returns the worker's DKIM_* settings for fresh
// keys of those algorithms written into dir, and the summary's name for
// them. Every message is then signed once per key, as in production.
func dkimEnv(b *testing.B, dir string) (map[string]string, string) {
	b.Helper()
	raw := strings.ToLower(strings.TrimSpace(os.Getenv("BENCH_DKIM")))
	if raw == "" || raw == "off" {
		return nil, "off"
	}
	var selectors, files, names []string
	for _, algo := range strings.Split(raw, ",") {
		var key any
		switch algo = strings.TrimSpace(algo); algo {
		case "rsa":
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				b.Fatal(err)
			}
			key = k
		case "ed25519":
			_, k, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				b.Fatal(err)
			}
			key = k
		default:
			b.Fatalf("BENCH_DKIM: want rsa, ed25519 or rsa,ed25519, got %q", raw)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			b.Fatal(err)
		}
		file := filepath.Join(dir, algo+".pem")
		if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
			b.Fatal(err)
		}
		selectors, files, names = append(selectors, algo), append(files, file), append(names, algo)
	}
	return map[string]string{
		"DKIM_DOMAIN":           "news.example.org",
		"DKIM_SELECTOR":         strings.Join(selectors, ","),
		"DKIM_PRIVATE_KEY_FILE": strings.Join(files, ","),
	}, strings.Join(names, "+")
}
