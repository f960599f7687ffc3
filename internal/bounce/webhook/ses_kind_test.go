package webhook

import (
	"testing"

	"newsdigest/internal/bounce"
)

// TestSESKind: SES calls Permanent every refusal for good, a block of the
// sender included; such a block, or a content rejection, is blocked, and
// counts against no reader.
func TestSESKind(t *testing.T) {
	for _, tc := range []struct {
		typ, subType, status, diagnostic string
		want                             bounce.Kind
	}{
		{"Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown", bounce.Hard},
		{"Permanent", "NoEmail", "5.1.1", "", bounce.Hard},
		{"Permanent", "Suppressed", "5.1.1", "Amazon SES has suppressed sending to this address", bounce.Hard},
		{"Permanent", "General", "5.7.1", "smtp; 550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus", bounce.Blocked},
		{"Permanent", "General", "5.7.26", "smtp; 550 5.7.26 This mail has been blocked because the sender is unauthenticated.", bounce.Blocked},
		{"Transient", "ContentRejected", "5.6.0", "smtp; 550 message content rejected", bounce.Blocked},
		{"Transient", "MailboxFull", "5.2.2", "smtp; 552 5.2.2 mailbox full", bounce.Soft},
		{"Undetermined", "Undetermined", "", "", bounce.Soft},
	} {
		if got := sesKind(tc.typ, tc.subType, tc.status, tc.diagnostic); got != tc.want {
			t.Errorf("sesKind(%s/%s, %q) = %q, want %q", tc.typ, tc.subType, tc.diagnostic, got, tc.want)
		}
	}
}
