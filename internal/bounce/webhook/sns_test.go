package webhook

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/bounce"
)

// testSecret is the secret the VERP addresses in the test data were made
// with.
const testSecret = "testdata secret: not for production use"

func testVERP(t testing.TB) *bounce.VERP {
	t.Helper()
	v, err := bounce.NewVERP("bounce.example.com", []byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// memRecorder keeps what it is given: it stands at the package's
// boundary, where the storage layer will be.
type memRecorder struct {
	mu     sync.Mutex
	events []bounce.Event
	fail   error
}

func (r *memRecorder) Record(_ context.Context, e bounce.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := e.Validate(); err != nil {
		return err
	}
	if r.fail != nil {
		return r.fail
	}
	r.events = append(r.events, e)
	return nil
}

func (r *memRecorder) setFail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = err
}

func (r *memRecorder) got() []bounce.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bounce.Event(nil), r.events...)
}

const (
	testTopic   = "arn:aws:sns:us-east-1:123456789012:newsdigest-bounces"
	testCertURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem"
)

// snsFake stands in for AWS: it signs messages as SNS does, with a key
// and self-signed certificate made for the test, and serves that
// certificate and the subscription links over HTTPS as
// sns.us-east-1.amazonaws.com, which the client it gives reaches on
// loopback (there is no internet in tests).
type snsFake struct {
	key     *rsa.PrivateKey
	certPEM []byte
	client  *http.Client

	mu       sync.Mutex
	requests []string // paths and queries asked for
	status   int      // what the certificate URL answers; 200 by default
	body     []byte   // what it serves instead of the certificate, when set
}

func newSNSFake(t *testing.T) *snsFake {
	t.Helper()
	f := &snsFake{status: http.StatusOK}
	var err error
	if f.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	f.certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: makeCert(t, "sns.amazonaws.com", f.key, nil, nil)})

	// The HTTPS side: a CA of the test's own, and a server certificate it
	// signs for sns.us-east-1.amazonaws.com.
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	caDER := makeCert(t, "test CA", caKey, nil, nil)
	ca, _ := x509.ParseCertificate(caDER)
	srvKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	srvDER := makeCert(t, "sns.us-east-1.amazonaws.com", srvKey, ca, caKey)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	addr := srv.Listener.Addr().String()
	f.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	return f
}

// makeCert makes a certificate for name with key's public key, signed by
// parent (self-signed when nil).
func makeCert(t *testing.T, name string, key *rsa.PrivateKey, parent *x509.Certificate, parentKey *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		DNSNames:              []string{name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  parent == nil,
		BasicConstraintsValid: true,
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func (f *snsFake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.URL.RequestURI())
	status, body := f.status, f.body
	f.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, ".pem") {
		if body == nil {
			body = f.certPEM
		}
		w.WriteHeader(status)
		w.Write(body)
		return
	}
	if r.URL.Query().Get("Action") == "ConfirmSubscription" {
		io.WriteString(w, `<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>`+
			r.URL.Query().Get("TopicArn")+`:1a2b</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`)
		return
	}
	http.NotFound(w, r)
}

// set makes the certificate URL answer status with body (nil: the
// certificate).
func (f *snsFake) set(status int, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.body = status, body
}

func (f *snsFake) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// canonical is the string SNS signs, written here from AWS's
// documentation apart from the code under test.
func canonical(m map[string]string) string {
	keys := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if m["Type"] != "Notification" {
		keys = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var b strings.Builder
	for _, k := range keys {
		if v, ok := m[k]; ok {
			b.WriteString(k + "\n" + v + "\n")
		}
	}
	return b.String()
}

// sign completes an SNS message (with defaults for the fields m does not
// set) and signs it as SNS does with the given SignatureVersion.
func (f *snsFake) sign(t *testing.T, m map[string]string, version string) map[string]string {
	t.Helper()
	defaults := map[string]string{
		"Type": "Notification", "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
		"TopicArn": testTopic, "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		"SignatureVersion": version, "SigningCertURL": testCertURL,
	}
	for k, v := range defaults {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	if m["Type"] == "Notification" {
		m["UnsubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + testTopic + ":1a2b"
	}
	var sig []byte
	var err error
	if version == "1" {
		d := sha1.Sum([]byte(canonical(m)))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA1, d[:])
	} else {
		d := sha256.Sum256([]byte(canonical(m)))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, d[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	m["Signature"] = base64.StdEncoding.EncodeToString(sig)
	return m
}

func body(t *testing.T, m map[string]string) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sesHandler returns a Handler with the SES provider, talking to f.
func sesHandler(t *testing.T, f *snsFake, adjust ...func(*SESOptions)) (*Handler, *memRecorder) {
	t.Helper()
	opts := SESOptions{TopicARNs: []string{testTopic}, HTTPClient: f.client, Logger: quietLog()}
	for _, a := range adjust {
		a(&opts)
	}
	p, err := NewSES(testVERP(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	rec := &memRecorder{}
	h, err := NewHandler(rec, NewMemoryGuard(1000), Options{Logger: quietLog()}, p)
	if err != nil {
		t.Fatal(err)
	}
	return h, rec
}

// post hands a body to the handler as the web layer will, with SNS's
// message type header.
func post(h *Handler, provider string, m map[string]string, raw []byte) (int, error) {
	hdr := http.Header{}
	if m != nil {
		hdr.Set("x-amz-sns-message-type", m["Type"])
		hdr.Set("x-amz-sns-topic-arn", m["TopicArn"])
	}
	hdr.Set("Content-Type", "text/plain; charset=UTF-8")
	return h.Handle(context.Background(), provider, hdr, strings.NewReader(string(raw)))
}
