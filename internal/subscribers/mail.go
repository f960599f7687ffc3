package subscribers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/bounce"
	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/mail"
	"newsdigest/internal/render"
	"newsdigest/internal/schedule"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/token"
)

// The one-off mails to a person (the confirmation, the notices, the link
// to a copy of their data) are each claimed in storage before they are
// sent and finished after: however many tasks ask for one (a lagging
// queue, the reconciler, a retry), one goes out. A temporary failure
// gives the claim back before the task is retried; a permanent one ends
// the request. An error wrapping tasks.SkipRetry is not worth trying
// again; what any error says of a refusal names no address (mail.Summary).

// errNoMailer is what a service without a Mailer (the web process's)
// answers a request to send.
var errNoMailer = errors.New("subscribers: this process does not send mail")

// SendConfirmation sends the double opt-in mail to a pending subscriber
// if one is due.
func (s *Service) SendConfirmation(ctx context.Context, id int64) error {
	if s.mailer == nil {
		return errNoMailer
	}
	claim, err := s.store.ClaimConfirmation(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return nil // sent or being sent already, confirmed, left or expired
	}
	if err != nil {
		return err
	}
	sub := claim.Subscriber
	msg, err := s.renderer.Confirmation(render.Confirmation{
		Language:      sub.Language,
		ListName:      s.listName(),
		ConfirmURL:    s.cfg.URL("/confirm/" + claim.ConfirmToken),
		PostalAddress: s.cfg.OrgPostalAddress,
	})
	return s.sendClaimed(ctx, "confirmation mail", sub, msg, err,
		func(ctx context.Context) error { return s.store.FinishConfirmation(ctx, claim) },
		func(ctx context.Context) error { return s.store.ReleaseConfirmation(ctx, claim) })
}

// SendNotice sends a welcome or known notice (domain.NoticeWelcome,
// NoticeKnown) to an active subscriber if one is due; a subscriber who
// has left since gets nothing.
func (s *Service) SendNotice(ctx context.Context, id int64, kind string) error {
	if s.mailer == nil {
		return errNoMailer
	}
	if kind != domain.NoticeWelcome && kind != domain.NoticeKnown {
		return fmt.Errorf("notice: unknown kind %q: %w", kind, tasks.SkipRetry)
	}
	claim, err := s.store.ClaimNotice(ctx, id, kind)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	finish := func(ctx context.Context) error { return s.store.FinishNotice(ctx, claim) }
	release := func(ctx context.Context) error { return s.store.ReleaseNotice(ctx, claim) }
	// The welcome names the choices: a failure to read the taxonomy is
	// worth a retry, a failure to render is not.
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return errors.Join(err, release(context.WithoutCancel(ctx)))
	}
	// The welcome says when the reader's digest goes out: their own
	// schedule's, if they chose one; the known mail, to a paused reader,
	// the day their pause ends, on their calendar.
	var when string
	var own *domain.ReaderSchedule
	var set domain.ScheduleSettings
	if claim.Kind == domain.NoticeWelcome || claim.Kind == domain.NoticeKnown {
		rec, err := s.store.SubscriberRecord(ctx, claim.Subscriber.ID)
		if err != nil {
			return errors.Join(err, release(context.WithoutCancel(ctx)))
		}
		when = noticeWhen(claim.Kind, rec, s.cfg.DigestCron, s.cfg.DigestTZ, time.Now())
		own = rec.Schedule
	}
	if own != nil && claim.Kind == domain.NoticeWelcome {
		if set, err = s.store.ScheduleSettings(ctx); err != nil {
			return errors.Join(err, release(context.WithoutCancel(ctx)))
		}
	}
	msg, err := s.renderNotice(claim, tax, when, own, set)
	return s.sendClaimed(ctx, kind+" notice", claim.Subscriber, msg, err, finish, release)
}

// noticeWhen is the day or time a notice speaks of, in words in the
// reader's language: for the welcome, when digests go out; for the known
// mail, the day a pause ends ("" when not paused).
func noticeWhen(kind string, rec domain.SubscriberRecord, desk cron.Schedule, deskTZ *time.Location, now time.Time) string {
	lang := rec.Language
	if kind == domain.NoticeWelcome {
		return schedule.ForReader(rec.Schedule, rec.NextDueAt, desk, deskTZ, now, lang)
	}
	if rec.PausedUntil == nil || !rec.PausedUntil.After(now) {
		return ""
	}
	loc := deskTZ
	if rec.Schedule != nil {
		if z, err := time.LoadLocation(rec.Schedule.Timezone); err == nil {
			loc = z
		}
	}
	return schedule.Date(*rec.PausedUntil, loc, lang)
}

// renderNotice makes the claimed notice in the subscriber's language;
// when is the welcome's "when digests go out", or the known mail's day a
// pause ends, in words; own is the reader's own schedule, nil for the
// desk's, and set the desk's rule for the short digests of such a
// schedule.
func (s *Service) renderNotice(claim domain.NoticeClaim, tax *taxonomy.Taxonomy, when string, own *domain.ReaderSchedule, set domain.ScheduleSettings) (render.Message, error) {
	sub := claim.Subscriber
	prefs, unsub := s.cfg.URL("/preferences/"+sub.Token), s.cfg.URL("/unsubscribe/"+sub.Token)
	if claim.Kind == domain.NoticeKnown {
		return s.renderer.Known(render.Known{Language: sub.Language, ListName: s.listName(), PausedUntil: when,
			PreferencesURL: prefs, UnsubscribeURL: unsub, PostalAddress: s.cfg.OrgPostalAddress})
	}
	return s.renderer.Welcome(render.Welcome{
		Language:       sub.Language,
		ListName:       s.listName(),
		All:            sub.All,
		Countries:      tax.CountryNames(sub.Language, sub.Countries),
		Topics:         tax.TopicNames(sub.Language, sub.Topics),
		Narrow:         sub.Mode == domain.ModeNarrow,
		DigestLanguage: sub.Language,
		Schedule:       when,
		OwnSchedule:    own != nil,
		SendThin:       own != nil && own.SendThin,
		ThinBelow:      set.ThinBelow(),
		WaitDays:       set.WaitDays,
		PreferencesURL: prefs,
		UnsubscribeURL: unsub,
		PostalAddress:  s.cfg.OrgPostalAddress,
	})
}

// SendExportLink mails a person the link to a copy of their data, if one
// is due. The claim makes the link: a fresh token whose hash alone is
// stored, so the link exists only in this mail.
func (s *Service) SendExportLink(ctx context.Context, id int64) error {
	if s.mailer == nil {
		return errNoMailer
	}
	claim, err := s.store.ClaimExport(ctx, id, token.New())
	if errs.Is(err, errs.NotFound) {
		return nil // sent already, or the person is gone or not to be mailed
	}
	if err != nil {
		return err
	}
	sub := claim.Subscriber
	msg, err := s.renderer.Export(render.Export{
		Language:       sub.Language,
		ListName:       s.listName(),
		DownloadURL:    s.cfg.URL("/export/" + claim.Token),
		ValidFor:       time.Until(claim.ExpiresAt).Round(time.Minute),
		PreferencesURL: s.cfg.URL("/preferences/" + sub.Token),
		UnsubscribeURL: s.cfg.URL("/unsubscribe/" + sub.Token),
		PostalAddress:  s.cfg.OrgPostalAddress,
	})
	return s.sendClaimed(ctx, "data export link", sub, msg, err,
		func(ctx context.Context) error { return s.store.FinishExport(ctx, claim) },
		func(ctx context.Context) error { return s.store.ReleaseExport(ctx, claim) })
}

// listName is the list's name, as every mail of the desk gives it.
func (s *Service) listName() string { return digest.MastheadOf(s.cfg).ListName }

// sendClaimed sends a one-off mail to sub whose claim storage holds, msg
// as rendered (renderErr its rendering's error). finish ends the claim
// once the mail went out, or can never go (it would not render, or the
// relay refused it for good); release gives it back after a temporary
// failure, so the retry claims it again. Were the release lost, the claim
// would lapse after its window and the reconciler ask again.
func (s *Service) sendClaimed(ctx context.Context, what string, sub domain.Subscriber, msg render.Message, renderErr error,
	finish, release func(context.Context) error) error {
	// The outcome is recorded even if the worker is shutting down.
	record := context.WithoutCancel(ctx)
	if renderErr != nil {
		return errors.Join(fmt.Errorf("render %s: %v: %w", what, renderErr, tasks.SkipRetry), finish(record))
	}
	m := &mail.Message{
		To: sub.Email, Subject: msg.Subject, HTML: msg.HTML, Text: msg.Text, Language: sub.Language,
		Headers: map[string]string{"Auto-Submitted": "auto-generated"},
	}
	if s.verp != nil {
		// A confirmation to an address that does not exist bounces here,
		// and nothing more is sent to it.
		m.Envelope = mail.Envelope{Sender: s.verp.NoticeAddress(sub.ID), Delivery: s.verp.NoticeToken(sub.ID)}
	}
	err := s.mailer.Send(ctx, m)
	if err != nil {
		// The relay's words often quote the address: neither the log nor
		// the queue, which keeps a failed task for weeks beyond the reach
		// of an erasure, gets more than mail.Summary.
		if mail.ClassOf(err) != mail.Temporary {
			if recorded := s.recordRefusal(record, what, sub, err); recorded {
				return finish(record)
			}
			s.log.Warn(what+" refused", "subscriber", sub.ID, "failure", mail.Summary(err))
			return errors.Join(fmt.Errorf("%s refused (%s): %w", what, mail.Summary(err), tasks.SkipRetry), finish(record))
		}
		return errors.Join(fmt.Errorf("%s: %s", what, mail.Summary(err)), release(record))
	}
	return finish(record)
}

// recordRefusal records a relay's refusal of the address itself (a 5xx
// to RCPT or to the message, not one refusing the sender: a block list,
// failed authentication) as the bounce it is, against the person, and
// reports whether it did. A mistyped address refused at once is the
// sign-up's, as a bounce coming back later would be: a hard one bounces
// it, and no confirmation goes to it again. Left to fail its task, it
// would lie in the queue's archive and raise the operator's alert for
// every mistyped sign-up. A refusal of the sender still fails the task:
// that is the operator's to see.
func (s *Service) recordRefusal(ctx context.Context, what string, sub domain.Subscriber, err error) bool {
	if s.refusals == nil || !mail.IsBounce(err) {
		return false
	}
	reply := err.Error()
	kind, code := bounce.Classify("failed", "", reply)
	if len(reply) > bounce.DiagnosticMax {
		reply = strings.ToValidUTF8(reply[:bounce.DiagnosticMax], "")
	}
	e := bounce.Event{DeliveryID: bounce.NoticeID(sub.ID), Kind: kind, Source: bounce.SourceSMTP,
		ReportID: "refused at the send " + token.New(), Status: code, Diagnostic: reply, At: time.Now()}
	if rerr := s.refusals.Record(ctx, e); rerr != nil {
		s.log.Warn(what+" refused; recording it failed", "subscriber", sub.ID, "failure", mail.Summary(err), "err", rerr)
		return false
	}
	s.log.Info(what+" refused: recorded as a bounce", "subscriber", sub.ID, "kind", string(kind), "failure", mail.Summary(err))
	return true
}

// Reconcile asks again for the mails that are due and that no task
// seems to hold (lost with Redis, out of retries, or held by a worker
// that died): a task too many is harmless, as the claim sends each due
// mail once. It also deletes the sign-ups never confirmed within
// domain.PendingKeptFor (domain.SubscriberPurge, docs/privacy.md), puts
// back the addresses that had left or complained whose sign-up again
// lapsed unconfirmed, and
// what is kept for a time once that time is up (domain.Expired: import
// drafts, test sends, console sessions, click nonces), which otherwise
// only the next write of its kind deleted. Each part is on its own: a
// failure in one is logged and does not hold up the others.
func (s *Service) Reconcile(ctx context.Context) {
	if err := s.requeueConfirmations(ctx); err != nil {
		s.log.Warn("reconcile: re-queue confirmation mails", "err", err)
	}
	if err := s.requeueNotices(ctx); err != nil {
		s.log.Warn("reconcile: re-queue notices", "err", err)
	}
	if err := s.requeueExports(ctx); err != nil {
		s.log.Warn("reconcile: re-queue export links", "err", err)
	}
	if n, err := s.store.ReturnLapsedSignUps(ctx); err != nil {
		s.log.Warn("reconcile: return lapsed sign-ups", "err", err)
	} else if n > 0 {
		s.log.Info("lapsed sign-ups of addresses that had left went back", "count", n)
	}
	if n, err := s.store.PurgeUnconfirmed(ctx); err != nil {
		s.log.Warn("reconcile: purge unconfirmed sign-ups", "err", err)
	} else if n > 0 {
		s.log.Info("purged unconfirmed sign-ups", "count", n)
	}
	if gone, err := s.store.PurgeExpired(ctx); err != nil {
		s.log.Warn("reconcile: purge what has expired", "err", err)
	} else if gone.Total() > 0 {
		s.log.Info("purged what has expired", "drafts", gone.Drafts, "test_sends", gone.TestSends,
			"test_send_keys", gone.TestSendKeys, "sessions", gone.Sessions, "click_nonces", gone.ClickNonces)
	}
}

func (s *Service) requeueConfirmations(ctx context.Context) error {
	ids, err := s.store.UnsentConfirmations(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.queue.EnqueueContext(ctx, tasks.NewConfirmationMail(id, "")); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
	}
	return nil
}

func (s *Service) requeueNotices(ctx context.Context) error {
	due, err := s.store.UnsentNotices(ctx)
	if err != nil {
		return err
	}
	for _, n := range due {
		if _, err := s.queue.EnqueueContext(ctx, tasks.NewNotice(n.SubscriberID, n.Kind)); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
	}
	return nil
}

func (s *Service) requeueExports(ctx context.Context) error {
	ids, err := s.store.UnsentExports(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.queue.EnqueueContext(ctx, tasks.NewExportLink(id)); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
	}
	return nil
}
