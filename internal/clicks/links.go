// Package clicks counts the clicks on the stories of the digests, and
// nothing per person. A story's link in a mail goes through the site,
// /r/{edition}.{story}.{mac}/{stamp}: the first part names the story and
// is signed, so the redirect goes only to that story's own address, read
// from the database; the stamp is the same in every link of one message
// and different in every message: when it was sent, a random nonce, and
// a MAC over both. It names no reader, and the nonce is stored nowhere
// with the delivery: it only lets a message's clicks be told apart, so
// that each story counts once per message and a link scanner's burst
// counts nothing. docs/privacy.md says what is kept.
package clicks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"strings"
	"time"
)

// StampPlaceholder stands for the stamp in a rendered digest; the mailer
// puts a fresh stamp in its place in each message (mail.Message.Stamp).
// As long as a stamp, and upper-case letters only, which no HTML, URL or
// text escaping changes.
const StampPlaceholder = "NDCLICKSTAMPPLACEHOLDERNDCLICKST"

// A stamp is 6 bytes of Unix time, 9 of nonce and 9 of MAC, in unpadded
// base64url: 32 characters.
const (
	stampTime  = 6
	stampNonce = 9
	stampMAC   = 9
	stampBytes = stampTime + stampNonce + stampMAC
	// StampLen is the length of a stamp (and of StampPlaceholder).
	StampLen = stampBytes / 3 * 4
	// linkMAC is the length of a link's MAC in bytes: 96 bits.
	linkMAC = 12
)

// Links makes and checks the /r/ links.
type Links struct {
	baseURL string // no trailing slash
	// linkKeys and stampKeys sign with the first and check with every
	// one: the first is SECRET_KEY's, the others a key it replaced, so
	// that the links of mail sent before a change of key still work.
	linkKeys  [][]byte
	stampKeys [][]byte
}

// NewLinks makes the links of a site at baseURL, signed with keys derived
// from secret (SECRET_KEY); the links and stamps of the previous secrets
// (SECRET_KEY_PREVIOUS) are still read.
func NewLinks(baseURL string, secret []byte, previous ...[]byte) *Links {
	l := &Links{baseURL: strings.TrimRight(baseURL, "/")}
	for _, s := range append([][]byte{secret}, previous...) {
		l.linkKeys = append(l.linkKeys, derive(s, "newsdigest click links"))
		l.stampKeys = append(l.stampKeys, derive(s, "newsdigest click stamps"))
	}
	return l
}

func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// StoryURL is the link of a story of an edition in a mail, with
// StampPlaceholder where each message's stamp goes.
func (l *Links) StoryURL(editionID, itemID int64) string {
	return l.baseURL + "/r/" + l.linkPart(editionID, itemID) + "/" + StampPlaceholder
}

func (l *Links) linkPart(editionID, itemID int64) string {
	e, i := strconv.FormatInt(editionID, 10), strconv.FormatInt(itemID, 10)
	return e + "." + i + "." + linkSum(l.linkKeys[0], e, i)
}

func linkSum(key []byte, e, i string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(e + "." + i))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:linkMAC])
}

// ParseLink reads the story part of a /r/ link: ok only when it is one
// this site signed.
func (l *Links) ParseLink(s string) (editionID, itemID int64, ok bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return 0, 0, false
	}
	signed := false
	for _, key := range l.linkKeys {
		signed = signed || subtle.ConstantTimeCompare([]byte(linkSum(key, parts[0], parts[1])), []byte(parts[2])) == 1
	}
	if !signed {
		return 0, 0, false
	}
	e, err1 := strconv.ParseInt(parts[0], 10, 64)
	i, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || e <= 0 || i <= 0 {
		return 0, 0, false
	}
	return e, i, true
}

// NewStamp is a fresh stamp for a message sent at now.
func (l *Links) NewStamp(now time.Time) string {
	var b [stampBytes]byte
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], uint64(now.Unix()))
	copy(b[:stampTime], t[8-stampTime:])
	rand.Read(b[stampTime : stampTime+stampNonce]) // never returns an error
	copy(b[stampTime+stampNonce:], stampSum(l.stampKeys[0], b[:stampTime+stampNonce]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func stampSum(key, b []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(b)
	return m.Sum(nil)[:stampMAC]
}

// ParseStamp reads a stamp this site made: when its message was sent and
// the hash under which its clicks are kept (of the nonce and time, never
// the stamp itself).
func (l *Links) ParseStamp(s string) (sent time.Time, key []byte, ok bool) {
	if len(s) != StampLen {
		return time.Time{}, nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != stampBytes {
		return time.Time{}, nil, false
	}
	signed := false
	for _, key := range l.stampKeys {
		signed = signed || hmac.Equal(stampSum(key, b[:stampTime+stampNonce]), b[stampTime+stampNonce:])
	}
	if !signed {
		return time.Time{}, nil, false
	}
	var t [8]byte
	copy(t[8-stampTime:], b[:stampTime])
	sum := sha256.Sum256(b[:stampTime+stampNonce])
	return time.Unix(int64(binary.BigEndian.Uint64(t[:])), 0), sum[:], true
}
