package subscribers

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/tasks"
	"newsdigest/internal/token"
)

// PersonalData is everything stored about one subscriber, as the person
// downloads it from their preferences page.
type PersonalData struct {
	Email          string             `json:"email"`
	Status         string             `json:"status"`
	Choices        PersonalChoices    `json:"choices"`
	CreatedAt      time.Time          `json:"created_at"`
	ConfirmedAt    *time.Time         `json:"confirmed_at"`
	UnsubscribedAt *time.Time         `json:"unsubscribed_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
	HardBounces    int                `json:"hard_bounces"`
	PausedUntil    *time.Time         `json:"paused_until"`
	Schedule       *PersonalSchedule  `json:"schedule"` // null: they follow the desk's schedule
	Consents       []PersonalConsent  `json:"consents"`
	Deliveries     []PersonalDelivery `json:"deliveries"`
	// NoticeBounces are what came back about the one-off mails to the
	// person (a confirmation, a notice, a link like this one's).
	NoticeBounces []PersonalBounce `json:"notice_bounces"`
}

// PersonalChoices are what the person asked to receive.
type PersonalChoices struct {
	All       bool     `json:"all"` // every story, whatever its countries and topics
	Countries []string `json:"countries"`
	Topics    []string `json:"topics"`
	Language  string   `json:"language"`
	Mode      string   `json:"mode"`
}

// PersonalSchedule is the person's own schedule (frequency, time zone,
// hour, send_thin) and when their next digest is due, once worked out.
type PersonalSchedule struct {
	domain.ReaderSchedule
	NextDueAt *time.Time `json:"next_due_at"`
}

// PersonalConsent is one line of the consent record.
type PersonalConsent struct {
	Action      string    `json:"action"`
	At          time.Time `json:"at"`
	IP          string    `json:"ip"`
	UserAgent   string    `json:"user_agent"`
	FormVersion string    `json:"form_version"`
	Actor       string    `json:"actor"` // "" when the person acted themselves, else OperatorActor
}

// PersonalDelivery is one edition's digest to the person.
type PersonalDelivery struct {
	Edition   int64      `json:"edition"`
	Status    string     `json:"status"`
	Reason    string     `json:"reason"`
	SMTPReply string     `json:"smtp_reply"`
	SentAt    *time.Time `json:"sent_at"`
	// Bounce is what came back about it after it left; null when
	// nothing did.
	Bounce *PersonalBounce `json:"bounce"`
}

// PersonalBounce is a bounce or complaint that came back about a mail to
// the person: its kind (hard, soft, complaint), status code, the remote
// server's words and when.
type PersonalBounce struct {
	Kind       string    `json:"kind"`
	Code       string    `json:"code"`
	Diagnostic string    `json:"diagnostic"`
	At         time.Time `json:"at"`
}

// maxExportDeliveries bounds the deliveries in one person's export: at
// one digest a week, far more than a subscription lasts.
const maxExportDeliveries = 10000

// SelfActor names, in the audit log, a subscriber acting on their own
// data from their preferences page.
const SelfActor = "subscriber"

// OperatorActor is how a person's copy of their data names whoever acted
// for the desk (an editor, the owner, the API): never by address, and
// without the IP and browser of the staff member's request.
const OperatorActor = "an editor"

// RequestExport records that the person a preferences token belongs to
// asked for a copy of their data, and queues the mail with the link that
// downloads it, unless one went out within the last minutes. An unknown
// or erased token is errs.NotFound.
func (s *Service) RequestExport(ctx context.Context, tok string) (domain.ExportRequest, error) {
	r, err := s.store.RequestExport(ctx, tok)
	if err != nil || !r.Queue {
		return r, err
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewExportLink(r.Subscriber.ID)); err != nil && !tasks.IsDuplicate(err) {
		// The request stays due; the reconciler queues it again.
		s.log.Warn("export link not queued; the reconciler will", "subscriber", r.Subscriber.ID, "err", err)
	}
	return r, nil
}

// ByExportLink finds the person a mailed export link belongs to while it
// works, without spending it (the page it opens downloads on a press of
// its button). A used, expired or unknown link is errs.NotFound.
func (s *Service) ByExportLink(ctx context.Context, link string) (domain.Subscriber, error) {
	return s.store.SubscriberByExportLink(ctx, link)
}

// ExportByLink spends a mailed export link and gathers what is stored
// about its person. A used, expired or unknown link is errs.NotFound.
func (s *Service) ExportByLink(ctx context.Context, link string) (PersonalData, error) {
	id, err := s.store.UseExportLink(ctx, link)
	if err != nil {
		return PersonalData{}, err
	}
	return s.personalData(ctx, id)
}

// personalData gathers what is stored about one subscriber, from the same
// reads as the console's person page, with the desk's staff named only as
// OperatorActor.
func (s *Service) personalData(ctx context.Context, id int64) (PersonalData, error) {
	rec, err := s.store.SubscriberRecord(ctx, id)
	if err != nil {
		return PersonalData{}, err
	}
	consents, err := s.store.SubscriberConsents(ctx, id)
	if err != nil {
		return PersonalData{}, err
	}
	deliveries, err := s.store.SubscriberDeliveries(ctx, id, maxExportDeliveries)
	if err != nil {
		return PersonalData{}, err
	}
	noticeBounces, err := s.store.SubscriberNoticeBounces(ctx, id, maxExportDeliveries)
	if err != nil {
		return PersonalData{}, err
	}
	p := PersonalData{
		Email:  rec.Email,
		Status: string(rec.Status),
		Choices: PersonalChoices{
			All:       rec.All,
			Countries: nonNilStrings(rec.Countries), Topics: nonNilStrings(rec.Topics),
			Language: rec.Language, Mode: rec.Mode,
		},
		CreatedAt:      rec.CreatedAt,
		ConfirmedAt:    rec.ConfirmedAt,
		UnsubscribedAt: rec.UnsubscribedAt,
		UpdatedAt:      rec.UpdatedAt,
		HardBounces:    rec.HardBounces,
		PausedUntil:    rec.PausedUntil,
		Consents:       []PersonalConsent{},
		Deliveries:     []PersonalDelivery{},
		NoticeBounces:  []PersonalBounce{},
	}
	if rec.Schedule != nil {
		p.Schedule = &PersonalSchedule{ReaderSchedule: *rec.Schedule, NextDueAt: rec.NextDueAt}
	}
	for _, c := range consents {
		pc := PersonalConsent{c.Action, c.At, c.IP, c.UserAgent, c.FormVersion, c.Actor}
		if c.Actor != "" || c.Action == "import" {
			// The desk acted: the request was a staff member's, whose
			// address, IP and browser are not this person's data.
			pc.IP, pc.UserAgent, pc.Actor = "", "", OperatorActor
		}
		p.Consents = append(p.Consents, pc)
	}
	for _, dl := range deliveries {
		pd := PersonalDelivery{Edition: dl.EditionID, Status: string(dl.Status), Reason: dl.Reason, SMTPReply: dl.Error, SentAt: dl.SentAt}
		if b := dl.Bounce; b != nil {
			pd.Bounce = &PersonalBounce{b.Kind, b.Code, b.Diagnostic, b.At}
		}
		p.Deliveries = append(p.Deliveries, pd)
	}
	for _, b := range noticeBounces {
		p.NoticeBounces = append(p.NoticeBounces, PersonalBounce{b.Kind, b.Code, b.Diagnostic, b.At})
	}
	return p, nil
}

// EraseOwnData erases the subscriber a preferences token belongs to at
// their own request (domain.SubscriberErase), with the console's erasure,
// and audits it under SelfActor. It returns the person as they were, so
// the answer can be in their language. An unknown or erased token is
// errs.NotFound.
func (s *Service) EraseOwnData(ctx context.Context, tok string) (domain.Subscriber, error) {
	sub, err := s.store.SubscriberByToken(ctx, tok)
	if err != nil {
		return sub, err
	}
	if err := s.store.EraseSubscriber(ctx, sub.ID, "", token.New()); err != nil {
		if errs.Is(err, errs.Conflict) && s.erased(ctx, sub.ID) {
			// Pressed twice at once: the other press erased them while
			// this one waited, and recorded it. Their data is deleted
			// all the same.
			return sub, nil
		}
		return sub, err
	}
	s.audit.Audit(ctx, SelfActor, "subscriber."+domain.ActionErase, "subscriber", sub.ID, "at their own request")
	return sub, nil
}

// erased reports whether subscriber id is erased now.
func (s *Service) erased(ctx context.Context, id int64) bool {
	rec, err := s.store.SubscriberRecord(ctx, id)
	return err == nil && rec.Status == domain.StatusErased
}

func nonNilStrings(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
