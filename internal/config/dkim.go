package config

import (
	"cmp"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/mail"
	"os"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// DKIM is how outgoing mail is signed: one key, or two of different
// algorithms (RSA for every receiver, Ed25519 for those that check it),
// each published under its own selector of Domain.
type DKIM struct {
	Domain string
	Keys   []DKIMKey
}

// DKIMKey is one signing key and the selector its public half is published
// under (selector._domainkey.domain).
type DKIMKey struct {
	Selector string
	Signer   crypto.Signer
}

// MinDKIMRSABits is the smallest RSA key accepted: receivers such as Gmail
// treat shorter ones as no signature at all.
const MinDKIMRSABits = 2048

// parseDKIM reads DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE.
// All three unset means mail goes unsigned (nil); some set and some not is
// an error, since a half-configured signer would send unsigned mail the
// operator believes signed. For two keys, DKIM_SELECTOR and
// DKIM_PRIVATE_KEY_FILE are comma-separated lists taken in pairs.
func parseDKIM(getenv func(string) string, from *mail.Address) (*DKIM, error) {
	domain := strings.TrimSuffix(strings.TrimSpace(getenv("DKIM_DOMAIN")), ".")
	selectors := splitList(getenv("DKIM_SELECTOR"))
	files := splitList(getenv("DKIM_PRIVATE_KEY_FILE"))
	if domain == "" && len(selectors) == 0 && len(files) == 0 {
		return nil, nil
	}
	switch {
	case domain == "":
		return nil, fmt.Errorf("DKIM_DOMAIN: not set, but DKIM_SELECTOR or DKIM_PRIVATE_KEY_FILE is (set all three to sign mail, or none)")
	case strings.ContainsAny(domain, " /@") || !strings.Contains(domain, "."):
		return nil, fmt.Errorf("DKIM_DOMAIN: want the sending domain, such as example.org, got %q", domain)
	case len(selectors) == 0:
		return nil, fmt.Errorf("DKIM_SELECTOR: not set, but DKIM_DOMAIN is (set all three to sign mail, or none)")
	case len(files) == 0:
		return nil, fmt.Errorf("DKIM_PRIVATE_KEY_FILE: not set, but DKIM_DOMAIN is (set all three to sign mail, or none)")
	case len(files) > 2:
		return nil, fmt.Errorf("DKIM_PRIVATE_KEY_FILE: at most two keys, one RSA and one Ed25519, got %d files", len(files))
	case len(selectors) != len(files):
		return nil, fmt.Errorf("DKIM_SELECTOR: %d selectors for %d key files in DKIM_PRIVATE_KEY_FILE; give one selector per key, in the same order", len(selectors), len(files))
	}
	ascii, err := asciiDomain(strings.ToLower(domain))
	if err != nil {
		return nil, fmt.Errorf("DKIM_DOMAIN: %q is not a valid domain name: %v", domain, err)
	}
	d := &DKIM{Domain: ascii}
	if err := checkAligned(d.Domain, from); err != nil {
		return nil, err
	}
	algos := map[string]bool{}
	for i, file := range files {
		sel := selectors[i]
		if !isSelector(sel) {
			return nil, fmt.Errorf("DKIM_SELECTOR: %q is not a DNS label (letters, digits, hyphens, dots)", sel)
		}
		signer, algo, err := readDKIMKey(file)
		if err != nil {
			return nil, fmt.Errorf("DKIM_PRIVATE_KEY_FILE: %s: %w", file, err)
		}
		if algos[algo] {
			return nil, fmt.Errorf("DKIM_PRIVATE_KEY_FILE: two %s keys; give one RSA and one Ed25519 key at most", algo)
		}
		algos[algo] = true
		d.Keys = append(d.Keys, DKIMKey{Selector: sel, Signer: signer})
	}
	return d, nil
}

// readDKIMKey reads a PEM private key as openssl writes it: PKCS#8
// ("PRIVATE KEY", RSA or Ed25519) or PKCS#1 ("RSA PRIVATE KEY").
func readDKIMKey(file string) (crypto.Signer, string, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, "", fmt.Errorf("cannot read: %w", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, "", fmt.Errorf("not a PEM private key")
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, "", fmt.Errorf("PEM block %q is not a private key (want PRIVATE KEY or RSA PRIVATE KEY)", block.Type)
	}
	if err != nil {
		return nil, "", fmt.Errorf("not a private key: %w", err)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits < MinDKIMRSABits {
			return nil, "", fmt.Errorf("RSA key of %d bits; want at least %d", bits, MinDKIMRSABits)
		}
		return k, "RSA", nil
	case ed25519.PrivateKey:
		return k, "Ed25519", nil
	default:
		return nil, "", fmt.Errorf("a %T key; want RSA or Ed25519", key)
	}
}

// splitList splits a comma-separated setting, dropping blanks.
func splitList(raw string) []string {
	var out []string
	for _, f := range strings.Split(raw, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// isSelector reports whether s can be a DKIM selector: DNS labels joined
// by dots.
func isSelector(s string) bool {
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// checkAligned refuses a signing domain that DMARC would not align with
// MAIL_FROM's domain: mail signed for another organisation passes DKIM
// and still fails DMARC, with nothing to tell the operator. Alignment is
// DMARC's relaxed one (RFC 7489 §3.1.1): the same organisational domain,
// read from the public suffix list (news.example.org and example.org
// align; example.org and example.net do not).
func checkAligned(domain string, from *mail.Address) error {
	fromDomain := strings.ToLower(from.Address[strings.LastIndexByte(from.Address, '@')+1:])
	if domain == fromDomain {
		return nil
	}
	org, err1 := publicsuffix.EffectiveTLDPlusOne(domain)
	fromOrg, err2 := publicsuffix.EffectiveTLDPlusOne(fromDomain)
	if err1 == nil && err2 == nil && org == fromOrg {
		return nil
	}
	return fmt.Errorf("DKIM_DOMAIN: %s is not of the organisation of MAIL_FROM's domain %s, so a signature would not align with From for DMARC; "+
		"sign with %s or a domain of %s", domain, fromDomain, fromDomain, cmp.Or(fromOrg, fromDomain))
}
