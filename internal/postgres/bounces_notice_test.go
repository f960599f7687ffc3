package postgres_test

import (
	"context"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// TestNoticeBounceOncePerMessage: with Amazon SES the same bounce of a
// confirmation comes back twice by default, as SES's notice through SNS
// and as the bounce SES forwards to the envelope sender, which the
// listener takes. Each has a report id of its own (SES's feedbackId, the
// forwarded bounce's Message-ID), so both are kept; but one message that
// failed is one failure, as a digest is: two failed sign-ups must not
// make the three of BOUNCE_LIMIT. Another message that fails counts
// again, as does a report that names no message; and a hard report after
// a soft one of the same message still bounces the address.
func TestNoticeBounceOncePerMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	signUp := func(addr string) int64 {
		t.Helper()
		id, _, err := db.Subscribe(ctx, addr, crFilter, domain.SignupSchedule{}, consent(), tokens())
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	type step struct {
		name                          string
		source, kind, report, message string
		duplicate                     bool
		bounces                       int
		status                        domain.SubscriberStatus
	}
	run := func(sub int64, steps []step) {
		t.Helper()
		for _, s := range steps {
			out, err := db.RecordNoticeBounce(ctx, sub, domain.BounceReport{Kind: s.kind, Source: s.source,
				ReportID: s.report, MessageKey: s.message, Code: "4.2.2", Diagnostic: "452 4.2.2 over quota"}, 3)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if out.Duplicate != s.duplicate || out.HardBounces != s.bounces || out.After != s.status {
				t.Errorf("%s: duplicate %v, %d in a row, %s; want %v, %d, %s", s.name,
					out.Duplicate, out.HardBounces, out.After, s.duplicate, s.bounces, s.status)
			}
		}
	}
	soft, hard := domain.BounceSoft, domain.BounceHard
	pending, bounced := domain.SubscriberStatus(domain.StatusPending), domain.SubscriberStatus(domain.StatusBounced)
	run(signUp("ana@example.org"), []step{
		{"SES's notice of the first confirmation", "ses", soft, "0102019a-feedback-1", "0102019a-mail-1", false, 1, pending},
		{"the bounce SES forwarded about it", "smtp", soft, "dsn-1@mx.example.net", "0102019a-mail-1", false, 1, pending},
		{"that bounce again", "smtp", soft, "dsn-1@mx.example.net", "0102019a-mail-1", true, 1, pending},
		{"SES's notice of the second confirmation", "ses", soft, "0102019a-feedback-2", "0102019a-mail-2", false, 2, pending},
		{"the bounce SES forwarded about it", "smtp", soft, "dsn-2@mx.example.net", "0102019a-mail-2", false, 2, pending},
		{"a bounce that names no message", "smtp", soft, "dsn-3@mx.example.net", "", false, 3, bounced},
	})
	run(signUp("ben@example.org"), []step{
		{"SES's soft notice", "ses", soft, "0102019a-feedback-3", "0102019a-mail-3", false, 1, pending},
		{"a hard bounce of the same message", "smtp", hard, "dsn-4@mx.example.net", "0102019a-mail-3", false, 1, bounced},
	})
}
