package webhook

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// snsMessage is the JSON an SNS HTTP(S) subscription is posted.
type snsMessage struct {
	Type             string
	MessageID        string `json:"MessageId"`
	Token            string
	TopicArn         string
	Subject          string
	Message          string
	Timestamp        string
	SignatureVersion string
	Signature        string
	SigningCertURL   string `json:"SigningCertURL"`
	SubscribeURL     string `json:"SubscribeURL"`
	UnsubscribeURL   string `json:"UnsubscribeURL"`
}

// SNS message types.
const (
	snsNotification     = "Notification"
	snsSubscription     = "SubscriptionConfirmation"
	snsUnsubscription   = "UnsubscribeConfirmation"
	snsMessageTypeField = "X-Amz-Sns-Message-Type"
)

// parseSNS reads an SNS message and checks it has the fields its type
// needs.
func parseSNS(header http.Header, body []byte) (*snsMessage, error) {
	var m snsMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: not an SNS message: %v", ErrBadPayload, err)
	}
	if t := header.Get(snsMessageTypeField); t != "" && t != m.Type {
		return nil, fmt.Errorf("%w: header %s is %q, the message's Type %q", ErrBadPayload, snsMessageTypeField, t, m.Type)
	}
	need := map[string]string{"MessageId": m.MessageID, "TopicArn": m.TopicArn, "Timestamp": m.Timestamp,
		"SignatureVersion": m.SignatureVersion, "Signature": m.Signature, "SigningCertURL": m.SigningCertURL}
	switch m.Type {
	case snsNotification:
		need["Message"] = m.Message
	case snsSubscription, snsUnsubscription:
		need["Token"], need["SubscribeURL"] = m.Token, m.SubscribeURL
	default:
		return nil, fmt.Errorf("%w: Type %q is not an SNS message type", ErrBadPayload, m.Type)
	}
	for _, f := range []string{"MessageId", "TopicArn", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "Message", "Token", "SubscribeURL"} {
		if v, ok := need[f]; ok && v == "" {
			return nil, fmt.Errorf("%w: %s message without %s", ErrBadPayload, m.Type, f)
		}
	}
	return &m, nil
}

// stringToSign is the text SNS signs, as AWS documents it for each
// message type: chosen fields as "Name\nvalue\n", in byte order of the
// names; Subject only when the message has one.
func (m *snsMessage) stringToSign() string {
	var b strings.Builder
	add := func(name, value string) {
		b.WriteString(name)
		b.WriteByte('\n')
		b.WriteString(value)
		b.WriteByte('\n')
	}
	add("Message", m.Message)
	add("MessageId", m.MessageID)
	if m.Type == snsNotification {
		if m.Subject != "" {
			add("Subject", m.Subject)
		}
		add("Timestamp", m.Timestamp)
		add("TopicArn", m.TopicArn)
		add("Type", m.Type)
		return b.String()
	}
	add("SubscribeURL", m.SubscribeURL)
	add("Timestamp", m.Timestamp)
	add("Token", m.Token)
	add("TopicArn", m.TopicArn)
	add("Type", m.Type)
	return b.String()
}

// snsHostRe is where SNS serves signing certificates and subscription
// links: sns.<region>.amazonaws.com (.com.cn in China).
var snsHostRe = regexp.MustCompile(`^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$`)

// checkSNSURL refuses a URL that is not https on an SNS host: the
// certificate that vouches for a message must come from AWS itself, and
// the server fetches nothing else a message names.
func checkSNSURL(field, raw string, pemFile bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: %s is not a URL", ErrBadSignature, field)
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.Scheme != "https":
		return fmt.Errorf("%w: %s is not https", ErrBadSignature, field)
	case u.User != nil || u.Port() != "" || !snsHostRe.MatchString(host):
		return fmt.Errorf("%w: %s host %q is not sns.<region>.amazonaws.com", ErrBadSignature, field, u.Host)
	case pemFile && !strings.HasSuffix(u.Path, ".pem"):
		return fmt.Errorf("%w: %s is not a .pem file", ErrBadSignature, field)
	}
	return nil
}

// verify checks an SNS message's signature with the certificate its
// SigningCertURL names.
func (m *snsMessage) verify(ctx context.Context, certs CertSource, now time.Time) error {
	if err := checkSNSURL("SigningCertURL", m.SigningCertURL, true); err != nil {
		return err
	}
	var h crypto.Hash
	switch m.SignatureVersion {
	case "1":
		h = crypto.SHA1
	case "2":
		h = crypto.SHA256
	default:
		return fmt.Errorf("%w: SignatureVersion %q is not 1 or 2", ErrBadSignature, m.SignatureVersion)
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil {
		return fmt.Errorf("%w: Signature is not base64", ErrBadSignature)
	}
	cert, err := certs.Certificate(ctx, m.SigningCertURL)
	if err != nil {
		return err
	}
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return fmt.Errorf("%w: the signing certificate is not valid now", ErrBadSignature)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: the signing certificate's key is not RSA", ErrBadSignature)
	}
	var digest []byte
	if h == crypto.SHA1 {
		d := sha1.Sum([]byte(m.stringToSign()))
		digest = d[:]
	} else {
		d := sha256.Sum256([]byte(m.stringToSign()))
		digest = d[:]
	}
	if err := rsa.VerifyPKCS1v15(pub, h, digest, sig); err != nil {
		return fmt.Errorf("%w: SNS signature", ErrBadSignature)
	}
	return nil
}

// CertSource gives the certificate at an SNS SigningCertURL, already
// checked to be https on an SNS host.
type CertSource interface {
	Certificate(ctx context.Context, url string) (*x509.Certificate, error)
}

// Bounds on fetching a signing certificate.
const (
	maxCertBytes   = 64 << 10 // SNS's are under 2 KiB
	maxCertsCached = 32       // SNS rotates its certificate rarely
	certTimeout    = 10 * time.Second
)

// FetchedCerts is the CertSource used in production: it fetches each
// certificate once over HTTPS, with a timeout and a size cap, follows no
// redirect, and keeps what it fetched. Failures are not kept: the next
// message tries again.
type FetchedCerts struct {
	client *http.Client

	mu    sync.Mutex
	certs map[string]*x509.Certificate
	order []string // oldest first, for eviction
}

// NewFetchedCerts returns a CertSource fetching with client (nil: a client
// of its own with a 10-second timeout).
func NewFetchedCerts(client *http.Client) *FetchedCerts {
	c := http.Client{Timeout: certTimeout}
	if client != nil {
		c = *client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &FetchedCerts{client: &c, certs: map[string]*x509.Certificate{}}
}

// Certificate implements CertSource.
func (f *FetchedCerts) Certificate(ctx context.Context, certURL string) (*x509.Certificate, error) {
	f.mu.Lock()
	cert, ok := f.certs[certURL]
	f.mu.Unlock()
	if ok {
		return cert, nil
	}
	cert, err := f.fetch(ctx, certURL)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.certs[certURL]; !ok {
		if len(f.order) >= maxCertsCached {
			delete(f.certs, f.order[0])
			f.order = f.order[1:]
		}
		f.certs[certURL] = cert
		f.order = append(f.order, certURL)
	}
	return cert, nil
}

// errCertFetch marks a failure to fetch a certificate: temporary, so the
// notification is answered 503 and SNS delivers it again.
var errCertFetch = errors.New("webhook: fetching the SNS signing certificate")

func (f *FetchedCerts) fetch(ctx context.Context, certURL string) (*x509.Certificate, error) {
	ctx, cancel := context.WithTimeout(ctx, certTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, certURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCertFetch, err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCertFetch, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s", errCertFetch, certURL, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCertFetch, err)
	}
	if len(b) > maxCertBytes {
		return nil, fmt.Errorf("%w: %s is over %d bytes", errCertFetch, certURL, maxCertBytes)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: %s holds no PEM certificate", errCertFetch, certURL)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errCertFetch, certURL, err)
	}
	return cert, nil
}
