package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/bounce"
)

const testMailgunKey = "6b0f2a8c1d9e4f7a5b3c2d1e0f9a8b7c"

// mailgunSign wraps event-data in a webhook body signed as Mailgun signs:
// hex HMAC-SHA256 of timestamp followed by token, keyed with the webhook
// signing key.
func mailgunSign(t *testing.T, key string, at time.Time, token string, eventData []byte) []byte {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
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

func mailgunEventData(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mailgunHandler(t *testing.T) (*Handler, *memRecorder) {
	t.Helper()
	p, err := NewMailgun(testVERP(t), MailgunOptions{SigningKey: testMailgunKey})
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

func mailgunPost(h *Handler, raw []byte) (int, error) {
	hdr := http.Header{"Content-Type": {"application/json"}}
	return h.Handle(context.Background(), "mailgun", hdr, strings.NewReader(string(raw)))
}

// token makes a fresh 50-character token, as Mailgun's are.
func token(i int) string { return strings.Repeat("0", 44) + strconv.Itoa(100000+i) }

func TestMailgunEvents(t *testing.T) {
	t.Parallel()
	h, rec := mailgunHandler(t)
	type got struct {
		Delivery     int64
		Kind         bounce.Kind
		Status       string
		FeedbackType string
	}
	for i, tc := range []struct {
		file string
		want *got
	}{
		{"mailgun-failed-permanent.json", &got{2007, bounce.Hard, "5.1.1", ""}},
		{"mailgun-failed-temporary.json", nil}, // Mailgun retries it
		{"mailgun-failed-old.json", &got{2008, bounce.Soft, "4.2.2", ""}},
		{"mailgun-complained.json", &got{2009, bounce.Complaint, "", "abuse"}},
		{"mailgun-suppress-bounce.json", &got{2010, bounce.Hard, "", ""}},
		{"mailgun-delivered.json", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			before := len(rec.got())
			n, err := mailgunPost(h, mailgunSign(t, testMailgunKey, time.Now(), token(i), mailgunEventData(t, tc.file)))
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			evs := rec.got()[before:]
			if tc.want == nil {
				if n != 0 || len(evs) != 0 {
					t.Fatalf("recorded %+v, want nothing", evs)
				}
				return
			}
			if len(evs) != 1 {
				t.Fatalf("recorded %+v, want one event", evs)
			}
			e := evs[0]
			if d := cmp.Diff(*tc.want, got{e.DeliveryID, e.Kind, e.Status, e.FeedbackType}); d != "" {
				t.Errorf("event (-want +got):\n%s", d)
			}
			if e.Source != bounce.SourceMailgun || e.ReportID == "" || e.At.IsZero() || e.Recipient == "" {
				t.Errorf("event %+v: want source, id, time and recipient", e)
			}
			// Its message-id names the message, as the bounce of it would.
			if !strings.HasSuffix(e.MessageKey, ".digest@example.com") {
				t.Errorf("event names message %q, want the message-id Mailgun reports", e.MessageKey)
			}
		})
	}
}

// TestMailgunRefuses checks the signature rules, by the status the web
// layer will answer.
func TestMailgunRefuses(t *testing.T) {
	t.Parallel()
	h, rec := mailgunHandler(t)
	ev := mailgunEventData(t, "mailgun-failed-permanent.json")
	now := time.Now()
	for _, tc := range []struct {
		name string
		raw  []byte
		want int
	}{
		{"another key", mailgunSign(t, "not-the-key", now, token(1), ev), http.StatusUnauthorized},
		{"too old", mailgunSign(t, testMailgunKey, now.Add(-10*time.Hour), token(2), ev), http.StatusUnauthorized},
		{"from the future", mailgunSign(t, testMailgunKey, now.Add(time.Hour), token(3), ev), http.StatusUnauthorized},
		{"no signature", []byte(`{"event-data":` + string(ev) + `}`), http.StatusUnauthorized},
		{"signature not hex", []byte(`{"signature":{"timestamp":"1","token":"t","signature":"zz"},"event-data":{}}`), http.StatusUnauthorized},
		{"not JSON", []byte("timestamp=1&token=t&signature=00"), http.StatusBadRequest},
		{"no event", mailgunSign(t, testMailgunKey, now, token(4), []byte("null")), http.StatusBadRequest},
	} {
		if _, err := mailgunPost(h, tc.raw); Status(err) != tc.want {
			t.Errorf("%s: %v (status %d), want %d", tc.name, err, Status(err), tc.want)
		}
	}
	if evs := rec.got(); len(evs) != 0 {
		t.Errorf("recorded %+v", evs)
	}
}

// TestMailgunParentSignature checks a subaccount's event, signed with the
// parent account's key in parent-signature.
func TestMailgunParentSignature(t *testing.T) {
	t.Parallel()
	h, rec := mailgunHandler(t)
	var b map[string]map[string]any
	raw := mailgunSign(t, testMailgunKey, time.Now(), token(9), mailgunEventData(t, "mailgun-complained.json"))
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	b["signature"]["parent-signature"] = b["signature"]["signature"]
	b["signature"]["signature"] = strings.Repeat("ab", 32) // the subaccount's key, unknown here
	raw, _ = json.Marshal(b)
	if _, err := mailgunPost(h, raw); err != nil {
		t.Fatalf("parent-signature: %v", err)
	}
	if evs := rec.got(); len(evs) != 1 {
		t.Errorf("recorded %+v, want the complaint", evs)
	}
}

// TestMailgunReplay checks that a signature is taken once: the same
// request again records nothing, and neither does its signature put on
// another event, which Mailgun's signature does not cover.
func TestMailgunReplay(t *testing.T) {
	t.Parallel()
	h, rec := mailgunHandler(t)
	at := time.Now()
	first := mailgunSign(t, testMailgunKey, at, token(1), mailgunEventData(t, "mailgun-delivered.json"))
	if _, err := mailgunPost(h, first); err != nil {
		t.Fatal(err)
	}
	for _, raw := range [][]byte{
		first,
		mailgunSign(t, testMailgunKey, at, token(1), mailgunEventData(t, "mailgun-complained.json")),
	} {
		if n, err := mailgunPost(h, raw); err != nil || n != 0 {
			t.Errorf("replay: recorded %d, %v; want nothing and a 200", n, err)
		}
	}
	if evs := rec.got(); len(evs) != 0 {
		t.Errorf("recorded %+v from replays", evs)
	}

	// A request whose event could not be stored is taken when it comes
	// again with the same token.
	raw := mailgunSign(t, testMailgunKey, at, token(2), mailgunEventData(t, "mailgun-failed-permanent.json"))
	rec.setFail(errors.New("database is down"))
	if _, err := mailgunPost(h, raw); Status(err) != http.StatusServiceUnavailable {
		t.Fatalf("with storage down: %v, want 503", err)
	}
	rec.setFail(nil)
	if n, err := mailgunPost(h, raw); err != nil || n != 1 {
		t.Errorf("retry: %d, %v; want the event recorded", n, err)
	}
	// A delivery storage no longer has: accepted, nothing recorded.
	rec.setFail(bounce.ErrUnknownDelivery)
	raw = mailgunSign(t, testMailgunKey, at, token(3), mailgunEventData(t, "mailgun-failed-permanent.json"))
	if n, err := mailgunPost(h, raw); err != nil || n != 0 {
		t.Errorf("unknown delivery: %d, %v; want a 200 with nothing recorded", n, err)
	}
}

func TestNewMailgunValidates(t *testing.T) {
	t.Parallel()
	if _, err := NewMailgun(testVERP(t), MailgunOptions{SigningKey: "  "}); err == nil {
		t.Error("NewMailgun with no key: no error")
	}
	if _, err := NewMailgun(nil, MailgunOptions{SigningKey: testMailgunKey}); err == nil {
		t.Error("NewMailgun with no VERP: no error")
	}
}
