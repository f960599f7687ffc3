package webhook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdigest/internal/bounce"
)

// TestSESAndItsForwardedBounceNameOneMessage: by default SES both
// notifies through SNS and forwards the bounce to the envelope sender,
// where the listener takes it, each report with an id of its own. SES
// sends every message with a Message-ID of its own,
// <mail.messageId@region.amazonses.com>, so the bounce it forwards returns
// that one, not the one newsdigest wrote (mail.commonHeaders.messageId):
// both reports must name the message alike, for a one-off mail's failure
// to count once. A bounce of a message sent without SES names it by the
// Message-ID newsdigest wrote.
func TestSESAndItsForwardedBounceNameOneMessage(t *testing.T) {
	t.Parallel()
	f := newSNSFake(t)
	h, rec := sesHandler(t, f)
	m := f.sign(t, map[string]string{"Message": sesMessage(t, "ses-bounce-transient.json"), "MessageId": "forwarded-1"}, "2")
	if n, err := post(h, "ses", m, body(t, m)); err != nil || n != 1 {
		t.Fatalf("SES notice: %d recorded, %v", n, err)
	}
	ses := rec.got()[0]

	raw, err := os.ReadFile(filepath.Join("..", "testdata", "postfix-mailbox-full.eml"))
	if err != nil {
		t.Fatal(err)
	}
	ours := "Message-ID: <20250514084038.1014.digest@example.com>"
	forwarded := strings.Replace(string(raw), ours,
		"Message-ID: <0102019a1b2c3d4f-11aa22bb-33cc-44dd-55ee-66ff77889900-000000@eu-west-1.amazonses.com>", 1)
	if forwarded == string(raw) {
		t.Fatalf("the sample does not return %q", ours)
	}
	event := func(raw string) bounce.Event {
		t.Helper()
		rep, err := bounce.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		return rep.Event(ses.DeliveryID, bounce.SourceSMTP)
	}
	dsn := event(forwarded)
	if ses.MessageKey == "" || dsn.MessageKey != ses.MessageKey {
		t.Errorf("SES's notice names message %q, the bounce it forwarded %q: want one key", ses.MessageKey, dsn.MessageKey)
	}
	if ses.ReportID == dsn.ReportID {
		t.Errorf("both reports have id %q: the sample should show two reports", ses.ReportID)
	}
	if got := event(string(raw)).MessageKey; got != "20250514084038.1014.digest@example.com" {
		t.Errorf("a bounce of a message sent without SES names message %q, want its Message-ID", got)
	}
}
