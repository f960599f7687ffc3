package worker

import (
	"context"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"

	"newsdigest/internal/digest"
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
	d, err := digest.SampleOf(ctx, h.db, p.Filter, p.EditionID)
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
		return fmt.Errorf("render test digest: %v: %w", err, asynq.SkipRetry)
	}
	const token = "test-send"
	err = h.mailer.Send(ctx, &mail.Message{
		To: p.To, Subject: testSubjectPrefix + m.Subject, Language: p.Filter.Language,
		HTML: strings.ReplaceAll(m.HTML, render.TokenPlaceholder, token),
		Text: strings.ReplaceAll(m.Text, render.TokenPlaceholder, token),
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
