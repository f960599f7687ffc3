package editions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	sendmail "newsdigest/internal/mail"
	"newsdigest/internal/render"
	"newsdigest/internal/tasks"
)

// Sample asks for the digest someone would get: of an edition (EditionID;
// 0 for the latest items, as Preview), for a subscriber (Email) or for a
// filter.
type Sample struct {
	EditionID int64
	Email     string
	Filter    domain.Filter
}

// Preview renders the digest a filter would receive from the most
// recently published items, as its mail would be, with a placeholder
// where the reader's token goes.
func (s *Service) Preview(ctx context.Context, f domain.Filter) (render.Message, error) {
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return render.Message{}, err
	}
	f.Normalize()
	if err := f.Validate(tax); err != nil {
		return render.Message{}, err
	}
	return s.renderSample(ctx, domain.TestSend{Filter: f}, time.Now())
}

// SampleFilter resolves a sample to the filter it stands for: the
// subscriber's choices when an address is given, else the filter, checked.
func (s *Service) SampleFilter(ctx context.Context, sm Sample) (domain.Filter, error) {
	f, _, err := s.resolveSample(ctx, sm)
	return f, err
}

// resolveSample is SampleFilter, with the subscriber's id when an address
// is given.
func (s *Service) resolveSample(ctx context.Context, sm Sample) (domain.Filter, int64, error) {
	f := sm.Filter
	var subscriber int64
	if email := strings.TrimSpace(sm.Email); email != "" {
		sub, err := s.store.SubscriberForPreview(ctx, email)
		if err != nil {
			return f, 0, err
		}
		f, subscriber = sub.Filter, sub.ID
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return f, 0, err
	}
	f.Normalize()
	return f, subscriber, f.Validate(tax)
}

// PreviewSample renders the digest a sample stands for, as the mail
// would show it, with a placeholder where the reader's token goes: for a
// subscriber who has a digest of the edition, that very digest.
func (s *Service) PreviewSample(ctx context.Context, sm Sample) (render.Message, error) {
	f, subscriber, err := s.resolveSample(ctx, sm)
	if err != nil {
		return render.Message{}, err
	}
	return s.renderSample(ctx, domain.TestSend{EditionID: sm.EditionID, SubscriberID: subscriber, Filter: f}, time.Now())
}

// renderSample lays a sample out as its mail and renders it.
func (s *Service) renderSample(ctx context.Context, sm domain.TestSend, now time.Time) (render.Message, error) {
	d, err := s.layOut(ctx, sm, now)
	if err != nil {
		return render.Message{}, err
	}
	return s.renderer.Digest(d)
}

// layOut lays a sample out as its mail would be (digest.Masthead.Email):
// the digest the filter gets of the edition (of the latest stories, as an
// edition made now would be dated, when EditionID is 0). When
// SubscriberID names a reader who has a digest of the edition, that
// digest is shown: the very one they got or will get.
func (s *Service) layOut(ctx context.Context, sm domain.TestSend, now time.Time) (render.Digest, error) {
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return render.Digest{}, err
	}
	is := digest.Issue{EditionID: sm.EditionID, At: now, Language: sm.Filter.Language, Tax: tax}
	if sm.EditionID == 0 {
		n, err := s.next(ctx, nil, nil)
		if err != nil {
			return render.Digest{}, err
		}
		is.Items = n.items
		if is.Sections, err = s.nextSections(ctx, n, sm, now); err != nil {
			return render.Digest{}, err
		}
		return s.masthead.Email(is), nil
	}
	e, err := s.store.Edition(ctx, sm.EditionID)
	if err != nil {
		return render.Digest{}, err
	}
	is.At = e.Time()
	if is.Items, err = s.store.EditionItems(ctx, sm.EditionID); err != nil {
		return render.Digest{}, err
	}
	if sm.SubscriberID != 0 {
		g, found, err := s.store.SubscriberGroup(ctx, sm.EditionID, sm.SubscriberID)
		if err != nil {
			return render.Digest{}, err
		}
		if found {
			if err := json.Unmarshal(g.Sections, &is.Sections); err != nil {
				return render.Digest{}, fmt.Errorf("digest %d: %w", g.ID, err)
			}
			is.Language, is.ViewToken = g.Language, g.ViewToken
			return s.masthead.Email(is), nil
		}
	}
	is.Sections = digest.SampleSections(tax, sm.Filter, is.Items, is.At)
	return s.masthead.Email(is), nil
}

// TestSend queues a sample digest to an editor's address; the worker
// sends it (the web process has no SMTP), its subject marked as a test.
// key, when not empty, is the one-time key of the form that asked: asked
// again with it, nothing more is sent or audited.
func (s *Service) TestSend(ctx context.Context, actor string, sm Sample, to, key string) error {
	addr, err := mail.ParseAddress(strings.TrimSpace(to))
	if err != nil || addr.Name != "" || !strings.Contains(addr.Address, "@") {
		return errs.New(errs.Invalid, "to: %q is not an email address", to)
	}
	f, subscriber, err := s.resolveSample(ctx, sm)
	if err != nil {
		return err
	}
	if sm.EditionID != 0 {
		if _, err := s.store.Edition(ctx, sm.EditionID); err != nil {
			return err
		}
	}
	id, made, err := s.store.SaveTestSend(ctx, domain.TestSend{EditionID: sm.EditionID, SubscriberID: subscriber, Filter: f,
		Recipient: addr.Address, Key: key}, actor)
	if err != nil || !made {
		// Not made: the form was sent twice, and its test is on its way.
		return err
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewTestSend(id)); err != nil {
		return errs.New(errs.Unavailable, "the queue is not answering; try again: %v", err)
	}
	// The audit log names people by id only: the subscriber whose digest
	// it was, never the address typed, nor the one it went to.
	recipient := "another address"
	if strings.EqualFold(addr.Address, actor) {
		recipient = "the sender's own address"
	}
	// A test of no edition in particular (the latest stories) is logged
	// as the test send itself, not against an "edition 0" nobody can open.
	objectType, objectID := "edition", sm.EditionID
	if objectID == 0 {
		objectType, objectID = "test_send", id
	}
	if subscriber != 0 {
		s.audit.Audit(ctx, actor, "edition.test_send", objectType, objectID, "test digest of subscriber %d sent to %s (test send %d)", subscriber, recipient, id)
	} else {
		s.audit.Audit(ctx, actor, "edition.test_send", objectType, objectID, "test digest of filter %s sent to %s (test send %d)", f.Signature(), recipient, id)
	}
	return nil
}

// TestSends are how the test sends editor by asked for in the last day
// went, the newest first, at most limit.
func (s *Service) TestSends(ctx context.Context, by string, limit int) ([]domain.TestSendResult, error) {
	return s.store.TestSendsBy(ctx, by, limit)
}

// testSubjectPrefix marks a test send, so nobody takes it for the real
// edition.
const testSubjectPrefix = "[TEST] "

// SendTest mails an editor the digest a test send asks for (the
// edition:test_send task), as the console previewed it. Its links carry
// no one's token: they lead to the public pages' "link not valid" answer
// rather than to a subscriber's settings. The task holds only the test
// send's id, so an address never waits in Redis. An error wrapping
// tasks.SkipRetry is not worth trying again; with final set (the queue's
// last try) a failure for now is recorded as failed.
func (s *Service) SendTest(ctx context.Context, id int64, final bool) error {
	if s.mailer == nil {
		return errors.New("editions: this process does not send mail")
	}
	ts, err := s.store.LoadTestSend(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return nil // sent already
	}
	if err != nil {
		return err
	}
	// Sent, refused for good, or given up: how it went is kept for the
	// console, and what it held of anyone is forgotten.
	done := func(outcome, failure string) error {
		return s.store.FinishTestSend(context.WithoutCancel(ctx), ts.ID, outcome, failure)
	}
	d, err := s.layOut(ctx, ts, time.Now())
	if err != nil {
		if final {
			return errors.Join(err, done(domain.TestSendFailed, "lay out: "+err.Error()))
		}
		return err
	}
	m, err := s.renderer.Digest(d)
	if err != nil {
		return errors.Join(fmt.Errorf("render test digest: %v: %w", err, tasks.SkipRetry), done(domain.TestSendFailed, "render: "+err.Error()))
	}
	m = m.WithToken(domain.TestSendToken)
	err = s.mailer.Send(ctx, &sendmail.Message{
		To: ts.Recipient, Subject: testSubjectPrefix + m.Subject, Language: d.Language,
		HTML: m.HTML, Text: m.Text,
		Headers: map[string]string{
			"Auto-Submitted":       "auto-generated",
			"X-Newsdigest-Edition": fmt.Sprint(ts.EditionID),
			"X-Newsdigest-Test":    "yes",
		},
	})
	if err == nil {
		return done(domain.TestSendSent, "")
	}
	// What the queue and the console keep of a failure names no address
	// (mail.Summary).
	if class := sendmail.ClassOf(err); class != sendmail.Temporary {
		// Refused for good, or lost once the whole message had left
		// (it may have arrived: not sent again, said as failed).
		outcome := domain.TestSendFailed
		if class == sendmail.Permanent {
			outcome = domain.TestSendRefused
		}
		s.log.Warn("test send refused", "test_send", ts.ID, "failure", sendmail.Summary(err))
		return errors.Join(fmt.Errorf("test send refused (%s): %w", sendmail.Summary(err), tasks.SkipRetry),
			done(outcome, sendmail.Summary(err)))
	}
	if final {
		// The queue gives up after this try: the console says it failed,
		// not that it is still on its way.
		return errors.Join(fmt.Errorf("test send: %s", sendmail.Summary(err)), done(domain.TestSendFailed, sendmail.Summary(err)))
	}
	return fmt.Errorf("test send: %s", sendmail.Summary(err))
}

// nextSections is the digest the next edition would send to a sample, as
// the compile would make it: for a subscriber, theirs, less what they
// had; for a choice set, the fullest digest a reader with those choices
// would get (a reader who had none of the stories, when nobody has
// those choices yet).
func (s *Service) nextSections(ctx context.Context, n nextEdition, sm domain.TestSend, now time.Time) ([]digest.Section, error) {
	want := sm.Filter.Signature()
	var best []digest.Section
	found := false
	err := s.eachReader(ctx, n, now, func(r domain.Recipient, sections []digest.Section) bool {
		if sm.SubscriberID != 0 {
			if r.ID != sm.SubscriberID {
				return true
			}
			if r.Paused { // what they would get once back
				sections = n.sections(r)
			}
			best, found = sections, true
			return false
		}
		f := r.Filter
		f.Normalize()
		if r.Paused || f.Signature() != want {
			return true
		}
		if !found || storyCount(sections) > storyCount(best) {
			best = sections
		}
		found = true
		return true
	})
	if err != nil || found {
		return best, err
	}
	return n.sections(domain.Recipient{Filter: sm.Filter}), nil
}

// storyCount counts a digest's stories.
func storyCount(sections []digest.Section) int {
	n := 0
	for _, s := range sections {
		n += len(s.Items)
	}
	return n
}
