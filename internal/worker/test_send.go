package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"

	"newsdigest/internal/digest"
	"newsdigest/internal/errs"
	"newsdigest/internal/mail"
	"newsdigest/internal/render"
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
	ts, err := h.db.LoadTestSend(ctx, p.ID)
	if errs.Is(err, errs.NotFound) {
		return nil // sent already
	}
	if err != nil {
		return err
	}
	// Done, or refused for good: the address it held is forgotten.
	done := func() error { return h.db.DeleteTestSend(context.WithoutCancel(ctx), ts.ID) }
	d, err := digest.SampleOf(ctx, h.db, ts.Filter, ts.EditionID)
	if err != nil {
		return err
	}
	l := links(h.cfg)
	d.ListName = l.ListName
	d.UnsubscribeURL = l.BaseURL + "/unsubscribe/" + render.TokenPlaceholder
	d.PreferencesURL = l.BaseURL + "/preferences/" + render.TokenPlaceholder
	d.PostalAddress = l.PostalAddress
	m, err := h.renderer.Digest(d)
	if err != nil {
		return errors.Join(fmt.Errorf("render test digest: %v: %w", err, asynq.SkipRetry), done())
	}
	const token = "test-send"
	err = h.mailer.Send(ctx, &mail.Message{
		To: ts.Recipient, Subject: testSubjectPrefix + m.Subject, Language: ts.Filter.Language,
		HTML: strings.ReplaceAll(m.HTML, render.TokenPlaceholder, token),
		Text: strings.ReplaceAll(m.Text, render.TokenPlaceholder, token),
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
