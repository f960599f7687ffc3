package worker

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/digest"
	"newsdigest/internal/mail"
	"newsdigest/internal/tasks"
)

// testSubjectPrefix marks a test send, so nobody takes it for the real
// edition.
const testSubjectPrefix = "[TEST] "

// testSend mails an editor the digest a filter would get, as the console
// previewed it. Its links carry no one's token: they lead to the public
// pages' "link not valid" answer rather than to a subscriber's settings.
func (h *handlers) testSend(ctx context.Context, t *asynq.Task) error {
	var p tasks.TestSend
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	d, err := digest.MastheadOf(h.cfg).Sample(ctx, h.db, digest.Sample{
		EditionID: p.EditionID, SubscriberID: p.SubscriberID, Filter: p.Filter, Now: time.Now()})
	if err != nil {
		return err
	}
	m, err := h.renderer.Digest(d)
	if err != nil {
		return fmt.Errorf("render test digest: %v: %w", err, asynq.SkipRetry)
	}
	m = m.WithToken("test-send")
	err = h.mailer.Send(ctx, &mail.Message{
		To: p.To, Subject: testSubjectPrefix + m.Subject, Language: d.Language,
		HTML: m.HTML, Text: m.Text,
		Headers: map[string]string{
			"Auto-Submitted":       "auto-generated",
			"X-Newsdigest-Edition": fmt.Sprint(p.EditionID),
			"X-Newsdigest-Test":    "yes",
		},
	})
	if err != nil && mail.ClassOf(err) != mail.Temporary {
		return fmt.Errorf("test send refused: %v: %w", err, asynq.SkipRetry)
	}
	return err
}
