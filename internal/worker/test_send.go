package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/digest"
	"newsdigest/internal/errs"
	"newsdigest/internal/mail"
	"newsdigest/internal/tasks"
)

// testSubjectPrefix marks a test send, so nobody takes it for the real
// edition.
const testSubjectPrefix = "[TEST] "

// testSend mails an editor the digest a filter would get, as the console
// previewed it. Its links carry no one's token: they lead to the public
// pages' "link not valid" answer rather than to a subscriber's settings.
// The task holds only the id of the stored test send, so an address never
// waits in Redis.
func (h *handlers) testSend(ctx context.Context, t *asynq.Task) error {
	var p tasks.TestSend
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	ts, err := h.db.LoadTestSend(ctx, p.ID)
	if errs.Is(err, errs.NotFound) {
		return nil // sent already
	}
	if err != nil {
		return err
	}
	// Done, or refused for good: the address it held is forgotten.
	done := func() error { return h.db.DeleteTestSend(context.WithoutCancel(ctx), ts.ID) }
	d, err := digest.MastheadOf(h.cfg).Sample(ctx, h.db, digest.Sample{
		EditionID: ts.EditionID, SubscriberID: ts.SubscriberID, Filter: ts.Filter, Now: time.Now()})
	if err != nil {
		return err
	}
	m, err := h.renderer.Digest(d)
	if err != nil {
		return errors.Join(fmt.Errorf("render test digest: %v: %w", err, asynq.SkipRetry), done())
	}
	m = m.WithToken("test-send")
	err = h.mailer.Send(ctx, &mail.Message{
		To: ts.Recipient, Subject: testSubjectPrefix + m.Subject, Language: d.Language,
		HTML: m.HTML, Text: m.Text,
		Headers: map[string]string{
			"Auto-Submitted":       "auto-generated",
			"X-Newsdigest-Edition": fmt.Sprint(ts.EditionID),
			"X-Newsdigest-Test":    "yes",
		},
	})
	if err == nil {
		return done()
	}
	// What the queue keeps of a failure names no address (sendFailure).
	if mail.ClassOf(err) != mail.Temporary {
		h.log.Warn("test send refused", "test_send", ts.ID, "failure", sendFailure(err))
		return errors.Join(fmt.Errorf("test send refused (%s): %w", sendFailure(err), asynq.SkipRetry), done())
	}
	return fmt.Errorf("test send: %s", sendFailure(err))
}
