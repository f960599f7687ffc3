package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBounceTLSPairIsReadAtStart: the bounce listener's certificate and
// key are read with the rest of the settings, so a file that is not a
// PEM certificate, or a key of another certificate, stops the start with
// exit 2 naming the variable, as every malformed setting does, rather
// than a worker that first waits for PostgreSQL and then exits 1.
func TestBounceTLSPairIsReadAtStart(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, "a")
	otherCert, _ := writePair(t, dir, "b")
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	load := func(certPath, keyPath string) error {
		_, err := Load(env(map[string]string{"SECRET_KEY": key, "MAIL_FROM": "News <digest@example.org>",
			"BOUNCE_DOMAIN": "bounce.example.org", "BOUNCE_SMTP_ADDR": ":2525",
			"BOUNCE_SMTP_TLS_CERT_FILE": certPath, "BOUNCE_SMTP_TLS_KEY_FILE": keyPath}))
		return err
	}
	if err := load(certFile, keyFile); err != nil {
		t.Fatalf("a certificate and its key: %v", err)
	}
	for _, tc := range []struct{ cert, key string }{{junk, keyFile}, {certFile, junk}, {otherCert, keyFile}} {
		err := load(tc.cert, tc.key)
		if err == nil || !strings.HasPrefix(err.Error(), "BOUNCE_SMTP_TLS_CERT_FILE") || strings.Contains(err.Error(), "\n") {
			t.Errorf("cert %s, key %s: %v; want one line naming BOUNCE_SMTP_TLS_CERT_FILE", filepath.Base(tc.cert), filepath.Base(tc.key), err)
		}
	}
}

// writePair writes a self-signed certificate and its key, as PEM files.
func writePair(t *testing.T, dir, name string) (certPath, keyPath string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bounce.example.org"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"bounce.example.org"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPath, keyPath
}
