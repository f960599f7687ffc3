package admin

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"

	"newsdigest/internal/config"
	"newsdigest/internal/staff"
)

// checkOwnerPassword compares pw with ADMIN_PASSWORD in constant time
// (hashing both first, so not even the length leaks).
func checkOwnerPassword(cfg *config.Config, pw string) bool {
	if cfg.AdminPassword == "" {
		return false
	}
	a := sha256.Sum256([]byte(pw))
	b := sha256.Sum256([]byte(cfg.AdminPassword))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// ownerKey identifies the current ADMIN_PASSWORD without revealing it;
// an owner session holds the key of the password it was opened with, so
// changing ADMIN_PASSWORD ends every owner session.
func ownerKey(cfg *config.Config) []byte {
	m := hmac.New(sha256.New, cfg.SecretKey)
	m.Write([]byte("newsdigest owner session\x00" + cfg.AdminPassword))
	return m.Sum(nil)
}

// dummyHash is checked against when the account does not exist, so a
// login takes as long for an unknown address as for a known one.
var dummyHash = func() string {
	h, err := staff.HashPassword("not a password anyone has")
	if err != nil {
		panic(err)
	}
	return h
}()
