package webhook

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/bounce"
)

func sesMessage(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSESNotifications sends SES's notices through signed SNS messages,
// with both signature versions, and checks what is recorded.
func TestSESNotifications(t *testing.T) {
	t.Parallel()
	f := newSNSFake(t)
	h, rec := sesHandler(t, f)
	type got struct {
		Delivery          int64
		Kind              bounce.Kind
		Status, Recipient string
	}
	for i, tc := range []struct {
		file string
		want *got
	}{
		{"ses-bounce-permanent.json", &got{2001, bounce.Hard, "5.1.1", "jane@example.net"}},
		{"ses-bounce-transient.json", &got{2002, bounce.Soft, "5.2.2", "full.box@example.net"}},
		{"ses-complaint-abuse.json", &got{2003, bounce.Complaint, "", "richard@example.net"}},
		{"ses-complaint-not-spam.json", nil},
		{"ses-delivery.json", nil},
		{"ses-event-bounce-forged.json", nil}, // a VERP address that does not verify
	} {
		for _, version := range []string{"1", "2"} {
			t.Run(tc.file+"/v"+version, func(t *testing.T) {
				before := len(rec.got())
				m := map[string]string{"Message": sesMessage(t, tc.file), "MessageId": tc.file + version}
				if i%2 == 0 { // SNS signs the Subject when there is one
					m["Subject"] = "Amazon SES Email Event Notification"
				}
				m = f.sign(t, m, version)
				n, err := post(h, "ses", m, body(t, m))
				if err != nil {
					t.Fatalf("Handle: %v (status %d)", err, Status(err))
				}
				evs := rec.got()[before:]
				if tc.want == nil {
					if n != 0 || len(evs) != 0 {
						t.Fatalf("recorded %+v, want nothing", evs)
					}
					return
				}
				if n != 1 || len(evs) != 1 {
					t.Fatalf("recorded %d: %+v, want one event", n, evs)
				}
				e := evs[0]
				if d := cmp.Diff(*tc.want, got{e.DeliveryID, e.Kind, e.Status, e.Recipient}); d != "" {
					t.Errorf("event (-want +got):\n%s", d)
				}
				if e.Source != bounce.SourceSES || e.ReportID == "" || e.At.IsZero() {
					t.Errorf("event %+v: want source ses, the feedback id and the time", e)
				}
			})
		}
	}
	if d := cmp.Diff("550 5.1.1 <jane@example.net>... User unknown", rec.got()[0].Diagnostic); d != "" {
		t.Errorf("diagnostic (-want +got):\n%s", d)
	}
	// One certificate, fetched once for all the messages.
	fetches := 0
	for _, r := range f.asked() {
		if strings.HasSuffix(r, ".pem") {
			fetches++
		}
	}
	if fetches != 1 {
		t.Errorf("the signing certificate was fetched %d times, want once", fetches)
	}
}

// TestSESRefuses checks each rule a message must pass, by the status the
// web layer will answer: 401 for what does not verify, 403 for a topic
// not configured, 400 for what is no SNS message, 413 for too much.
func TestSESRefuses(t *testing.T) {
	t.Parallel()
	f := newSNSFake(t)
	h, rec := sesHandler(t, f)
	other := newSNSFake(t) // another signer, whose key is not behind testCertURL
	note := sesMessage(t, "ses-bounce-permanent.json")
	signed := func(over map[string]string) map[string]string {
		m := map[string]string{"Message": note}
		for k, v := range over {
			m[k] = v
		}
		return f.sign(t, m, "2")
	}
	for _, tc := range []struct {
		name string
		m    map[string]string
		raw  []byte // instead of m, when set
		want int
	}{
		{"message changed after signing", func() map[string]string {
			m := signed(nil)
			m["Message"] = strings.Replace(m["Message"], "Permanent", "Transient", 1)
			return m
		}(), nil, http.StatusUnauthorized},
		{"signed by another key", other.sign(t, map[string]string{"Message": note}, "2"), nil, http.StatusUnauthorized},
		{"certificate over http", signed(map[string]string{"SigningCertURL": strings.Replace(testCertURL, "https:", "http:", 1)}), nil, http.StatusUnauthorized},
		{"certificate elsewhere", signed(map[string]string{"SigningCertURL": "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem"}), nil, http.StatusUnauthorized},
		{"certificate behind userinfo", signed(map[string]string{"SigningCertURL": "https://sns.us-east-1.amazonaws.com@evil.example/cert.pem"}), nil, http.StatusUnauthorized},
		{"certificate on a port", signed(map[string]string{"SigningCertURL": "https://sns.us-east-1.amazonaws.com:8443/cert.pem"}), nil, http.StatusUnauthorized},
		{"certificate not a .pem", signed(map[string]string{"SigningCertURL": "https://sns.us-east-1.amazonaws.com/cert"}), nil, http.StatusUnauthorized},
		{"unknown signature version", signed(map[string]string{"SignatureVersion": "3"}), nil, http.StatusUnauthorized},
		{"too old", signed(map[string]string{"Timestamp": time.Now().Add(-25 * time.Hour).UTC().Format(time.RFC3339)}), nil, http.StatusUnauthorized},
		{"from the future", signed(map[string]string{"Timestamp": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}), nil, http.StatusUnauthorized},
		{"another topic", signed(map[string]string{"TopicArn": "arn:aws:sns:us-east-1:999999999999:someone-elses"}), nil, http.StatusForbidden},
		{"not JSON", nil, []byte("Message=hello"), http.StatusBadRequest},
		{"no signature", func() map[string]string { m := signed(nil); delete(m, "Signature"); return m }(), nil, http.StatusBadRequest},
		{"unknown type", signed(map[string]string{"Type": "Gossip"}), nil, http.StatusBadRequest},
		{"SES notice not JSON", signed(map[string]string{"Message": "a bounce, honest"}), nil, http.StatusBadRequest},
		{"too large", nil, []byte(`{"Message":"` + strings.Repeat("x", 2<<20) + `"}`), http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.raw
			if raw == nil {
				raw = body(t, tc.m)
			}
			_, err := post(h, "ses", tc.m, raw)
			if got := Status(err); got != tc.want {
				t.Errorf("status %d (%v), want %d", got, err, tc.want)
			}
		})
	}
	// The header naming the message type must agree with the body.
	m := signed(nil)
	hdr := http.Header{"X-Amz-Sns-Message-Type": {"SubscriptionConfirmation"}}
	if _, err := h.Handle(t.Context(), "ses", hdr, strings.NewReader(string(body(t, m)))); Status(err) != http.StatusBadRequest {
		t.Errorf("mismatched message type header: %v", err)
	}
	if _, err := post(h, "sendgrid", nil, []byte("{}")); Status(err) != http.StatusNotFound {
		t.Errorf("unknown provider: %v", err)
	}
	if evs := rec.got(); len(evs) != 0 {
		t.Errorf("recorded %+v from refused messages", evs)
	}
	for _, r := range f.asked() {
		if !strings.HasSuffix(r, ".pem") {
			t.Errorf("the server fetched %s while refusing messages", r)
		}
	}
}

// TestSESSubscription checks that a signed confirmation for a configured
// topic is confirmed by fetching its SubscribeURL, and nothing else is.
func TestSESSubscription(t *testing.T) {
	t.Parallel()
	f := newSNSFake(t)
	h, _ := sesHandler(t, f)
	confirm := func(topic, subscribeURL string) map[string]string {
		return f.sign(t, map[string]string{
			"Type": "SubscriptionConfirmation", "TopicArn": topic, "Token": "2336412f37fb687f5d51e6e2425f004aed6e8a3d",
			"Message":      "You have chosen to subscribe to the topic " + topic + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.",
			"SubscribeURL": subscribeURL,
		}, "1")
	}
	good := "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + testTopic + "&Token=2336412f37fb687f5d51e6e2425f004aed6e8a3d"
	m := confirm(testTopic, good)
	if _, err := post(h, "ses", m, body(t, m)); err != nil {
		t.Fatalf("confirmation: %v", err)
	}
	confirmed := 0
	for _, r := range f.asked() {
		if strings.Contains(r, "Action=ConfirmSubscription") {
			confirmed++
		}
	}
	if confirmed != 1 {
		t.Fatalf("SubscribeURL fetched %d times, want once: %q", confirmed, f.asked())
	}

	// A SubscribeURL off the SNS hosts is not fetched, even signed; nor is
	// a topic not configured confirmed.
	for _, tc := range []struct {
		m    map[string]string
		want int
	}{
		{confirm(testTopic, "https://evil.example/?Action=ConfirmSubscription&TopicArn=x"), http.StatusUnauthorized},
		{confirm(testTopic, "http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x"), http.StatusUnauthorized},
		{confirm("arn:aws:sns:us-east-1:999999999999:other", "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x"), http.StatusForbidden},
	} {
		if _, err := post(h, "ses", tc.m, body(t, tc.m)); Status(err) != tc.want {
			t.Errorf("SubscribeURL %s: %v, want %d", tc.m["SubscribeURL"], err, tc.want)
		}
	}
	for _, r := range f.asked() {
		if strings.Contains(r, "TopicArn=x") {
			t.Errorf("fetched %s", r)
		}
	}

	// An unsubscribe confirmation is verified and taken; nothing is fetched.
	before := len(f.asked())
	m = f.sign(t, map[string]string{"Type": "UnsubscribeConfirmation", "Token": "2336412f37fb", "Message": "You have chosen to deactivate subscription.",
		"SubscribeURL": good}, "2")
	if _, err := post(h, "ses", m, body(t, m)); err != nil {
		t.Errorf("unsubscribe confirmation: %v", err)
	}
	if after := f.asked(); len(after) != before {
		t.Errorf("unsubscribe confirmation fetched %q", after[before:])
	}
}

// TestSESReplayAndRetry checks that a message SNS delivers twice is
// recorded once, and one whose recording failed is taken when it comes
// again.
func TestSESReplayAndRetry(t *testing.T) {
	t.Parallel()
	f := newSNSFake(t)
	h, rec := sesHandler(t, f)
	m := f.sign(t, map[string]string{"Message": sesMessage(t, "ses-bounce-permanent.json")}, "2")
	rec.setFail(errors.New("database is down"))
	if _, err := post(h, "ses", m, body(t, m)); Status(err) != http.StatusServiceUnavailable {
		t.Fatalf("with storage down: %v, want 503", err)
	}
	rec.setFail(nil)
	for i := range 2 {
		n, err := post(h, "ses", m, body(t, m))
		if err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
		if want := 1 - i; n != want {
			t.Errorf("delivery %d recorded %d events, want %d", i+1, n, want)
		}
	}
	if evs := rec.got(); len(evs) != 1 {
		t.Errorf("recorded %d events, want 1", len(evs))
	}
}

// TestFetchedCerts checks the production certificate fetcher's limits: a
// server error is temporary (503, SNS retries), and a body too large or
// not a certificate is refused.
func TestFetchedCerts(t *testing.T) {
	t.Parallel()
	f := newSNSFake(t)
	certs := NewFetchedCerts(f.client)
	f.set(http.StatusInternalServerError, nil)
	if _, err := certs.Certificate(t.Context(), testCertURL); err == nil || Status(err) != http.StatusServiceUnavailable {
		t.Errorf("server error: %v, want a temporary error", err)
	}
	f.set(http.StatusOK, []byte(strings.Repeat("-", maxCertBytes+1)))
	if _, err := certs.Certificate(t.Context(), testCertURL); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("oversized certificate: %v", err)
	}
	f.set(http.StatusOK, []byte("not a certificate"))
	if _, err := certs.Certificate(t.Context(), testCertURL); err == nil {
		t.Error("took a body that holds no certificate")
	}
	f.set(http.StatusOK, nil)
	c1, err := certs.Certificate(t.Context(), testCertURL)
	if err != nil {
		t.Fatal(err)
	}
	f.set(http.StatusOK, []byte("changed"))
	if c2, err := certs.Certificate(t.Context(), testCertURL); err != nil || c2 != c1 {
		t.Errorf("second call fetched again: %v", err)
	}
}

func TestNewSESValidates(t *testing.T) {
	t.Parallel()
	v := testVERP(t)
	for _, topics := range [][]string{nil, {""}, {"arn:aws:sqs:us-east-1:123456789012:q"}, {"arn:aws:sns:us-east-1:1234:t"}, {"newsdigest-bounces"}} {
		if _, err := NewSES(v, SESOptions{TopicARNs: topics}); err == nil {
			t.Errorf("NewSES(%q): no error", topics)
		}
	}
	if _, err := NewSES(v, SESOptions{TopicARNs: []string{"arn:aws-cn:sns:cn-north-1:123456789012:bounces"}}); err != nil {
		t.Errorf("China partition ARN: %v", err)
	}
}
