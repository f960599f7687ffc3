package app_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/app"
)

const (
	sesTopic       = "arn:aws:sns:us-east-1:123456789012:newsdigest-bounces"
	snsCertURL     = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem"
	mailgunTestKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
)

// fakeSNS is the AWS side of the test: a key and certificate of its own
// for sns.us-east-1.amazonaws.com, which signs notifications and is
// served over HTTPS at snsCertURL, and a client that reaches that
// server, whatever host it asks for, trusting that certificate alone.
// web's checks are the production ones: only the client is the test's.
type fakeSNS struct {
	key    *rsa.PrivateKey
	client *http.Client
}

func newFakeSNS(t *testing.T) *fakeSNS {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sns.us-east-1.amazonaws.com"},
		DNSNames:  []string{"sns.us-east-1.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/SimpleNotificationService-0123456789abcdef.pem" {
			http.NotFound(w, r)
			return
		}
		w.Write(certPEM)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	addr := srv.Listener.Addr().String()
	return &fakeSNS{key: key, client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}}
}

// notification is an SNS Notification carrying message, signed as SNS
// signs (SignatureVersion 2).
func (f *fakeSNS) notification(t *testing.T, id, message string) map[string]string {
	t.Helper()
	m := map[string]string{
		"Type": "Notification", "MessageId": id, "TopicArn": sesTopic, "Message": message,
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), "SignatureVersion": "2",
		"SigningCertURL": snsCertURL,
		"UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + sesTopic + ":1a2b",
	}
	var b strings.Builder
	for _, k := range []string{"Message", "MessageId", "Timestamp", "TopicArn", "Type"} {
		b.WriteString(k + "\n" + m[k] + "\n")
	}
	d := sha256.Sum256([]byte(b.String()))
	sig, err := rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, d[:])
	if err != nil {
		t.Fatal(err)
	}
	m["Signature"] = base64.StdEncoding.EncodeToString(sig)
	return m
}

// mailgunBody is a Mailgun webhook body for eventData, signed with key.
func mailgunBody(t *testing.T, key, token string, eventData []byte) []byte {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(ts + token))
	b, err := json.Marshal(map[string]any{
		"signature":  map[string]string{"timestamp": ts, "token": token, "signature": hex.EncodeToString(m.Sum(nil))},
		"event-data": json.RawMessage(eventData),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runWebhookWeb runs one more web process of s whose SNS client is f's,
// and returns its base URL.
func (s *stack) runWebhookWeb(f *fakeSNS) string {
	s.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan error, 1)
	go func() {
		done <- (&app.Web{Config: s.cfg, Log: s.log, Registry: prometheus.NewRegistry(), Listener: l, BounceHTTPClient: f.client}).Run(ctx)
	}()
	s.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			s.t.Errorf("web: %v", err)
		}
	})
	base := "http://" + l.Addr().String()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("second web not ready: %v", err)
		}
	}
}

func postWebhook(t *testing.T, url, contentType string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestBounceWebhooks takes an SES bounce and complaint through SNS, signed
// by a certificate the verifier fetches over HTTPS as from AWS, and a
// signed Mailgun failure: each bounces or marks its reader, once however
// often it comes. A notice whose signature does not verify is refused
// (401), and one naming a forged VERP address records nothing.
func TestBounceWebhooks(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"BOUNCE_DOMAIN": bounceDomain, "BOUNCE_SES_TOPIC_ARNS": sesTopic,
		"MAILGUN_WEBHOOK_SIGNING_KEY": mailgunTestKey})
	_, senders := s.sendEdition("ses.hard@example.net", "ses.complainer@example.net", "mailgun.hard@example.net",
		"tampered@example.net", "forged@example.net")
	f := newFakeSNS(t)
	base := s.runWebhookWeb(f)
	testdata := func(name string) string { return filepath.Join("..", "bounce", "webhook", "testdata", name) }

	ses := func(id, sample, reader string) map[string]string {
		return f.notification(t, id, string(sampleIn(t, testdata(sample), senders[reader])))
	}
	post := func(m map[string]string) (int, string) {
		b, _ := json.Marshal(m)
		return postWebhook(t, base+"/webhooks/bounces/ses", "text/plain; charset=UTF-8", b)
	}
	n := ses("6f0c0a3e-0001-4c2c-8f9d-bdfb0c7bf324", "ses-bounce-permanent.json", "ses.hard@example.net")
	if status, body := post(n); status != http.StatusOK || !strings.Contains(body, `"recorded":1`) {
		t.Fatalf("SES bounce: %d %s", status, body)
	}
	if status, body := post(n); status != http.StatusOK || !strings.Contains(body, `"recorded":0`) {
		t.Errorf("the same SES bounce again: %d %s, want 200 with nothing recorded", status, body)
	}
	if status, body := post(ses("6f0c0a3e-0002-4c2c-8f9d-bdfb0c7bf324", "ses-complaint-abuse.json", "ses.complainer@example.net")); status != http.StatusOK {
		t.Fatalf("SES complaint: %d %s", status, body)
	}
	tampered := ses("6f0c0a3e-0003-4c2c-8f9d-bdfb0c7bf324", "ses-bounce-permanent.json", "tampered@example.net")
	tampered["Message"] = strings.Replace(tampered["Message"], "Permanent", "Transient", 1)
	if status, body := post(tampered); status != http.StatusUnauthorized {
		t.Errorf("an SES notice changed after signing: %d %s, want 401", status, body)
	}

	mailgun := func(sample, reader, key, token string) (int, string) {
		return postWebhook(t, base+"/webhooks/bounces/mailgun", "application/json",
			mailgunBody(t, key, token, sampleIn(t, testdata(sample), senders[reader])))
	}
	if status, body := mailgun("mailgun-failed-permanent.json", "mailgun.hard@example.net", mailgunTestKey, strings.Repeat("a", 50)); status != http.StatusOK || !strings.Contains(body, `"recorded":1`) {
		t.Fatalf("Mailgun failure: %d %s", status, body)
	}
	if status, body := mailgun("mailgun-failed-permanent.json", "tampered@example.net", "key-not-the-right-one-000000000000", strings.Repeat("b", 50)); status != http.StatusUnauthorized {
		t.Errorf("a Mailgun notice signed with another key: %d %s, want 401", status, body)
	}
	forged := verpRe.ReplaceAllString(senders["forged@example.net"], "bounces+${1}.aaaaaaaaaaaaaaaa@"+bounceDomain)
	if status, body := postWebhook(t, base+"/webhooks/bounces/mailgun", "application/json", mailgunBody(t, mailgunTestKey,
		strings.Repeat("c", 50), sampleIn(t, testdata("mailgun-failed-permanent.json"), forged))); status != http.StatusOK || !strings.Contains(body, `"recorded":0`) {
		t.Errorf("a Mailgun notice naming a forged address: %d %s, want 200 with nothing recorded", status, body)
	}
	if status, _ := postWebhook(t, base+"/webhooks/bounces/postmark", "application/json", []byte("{}")); status != http.StatusNotFound {
		t.Errorf("a provider not configured: %d, want 404", status)
	}

	for reader, want := range map[string]struct{ status, kind, source string }{
		"ses.hard@example.net":       {"bounced", "hard", "ses"},
		"ses.complainer@example.net": {"complained", "complaint", "ses"},
		"mailgun.hard@example.net":   {"bounced", "hard", "mailgun"},
		"tampered@example.net":       {"active", "", ""},
		"forged@example.net":         {"active", "", ""},
	} {
		status, _ := subscriberState(t, s, reader)
		got := deliveryReport(t, s, reader)
		if status != want.status || got.Kind != want.kind || got.Source != want.source {
			t.Errorf("%s: %s, delivery %+v; want %s, %s from %q", reader, status, got, want.status, want.kind, want.source)
		}
	}
}
