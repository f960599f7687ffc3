package subscribers

import (
	"context"
	"time"

	"newsdigest/internal/domain"
)

// The storage this package needs, named by what uses it; package
// postgres implements every one.

// Store is all the storage the service needs.
type Store interface {
	SignupStore
	ReaderStore
	DeskStore
	MailStore
	EstimateSource
	RetentionStore
}

// RetentionStore forgets what is kept for a time once it is up
// (domain.Expired lists what): the reconcile asks every minute, so that
// nothing waits for the next write of its kind.
type RetentionStore interface {
	PurgeExpired(ctx context.Context) (domain.Expired, error)
}

// SignupStore records sign-ups and their confirmation.
type SignupStore interface {
	Subscribe(ctx context.Context, email string, f domain.Filter, sched domain.SignupSchedule, c domain.Consent, t domain.SignupTokens) (int64, domain.SignupMail, error)
	SignupByConfirmToken(ctx context.Context, confirmToken string) (domain.PendingSignup, error)
	SubscriberByUsedConfirmToken(ctx context.Context, confirmToken string) (domain.Subscriber, error)
	Confirm(ctx context.Context, confirmToken, shown string, c domain.Consent, newToken string) (domain.Subscriber, error)
}

// ReaderStore is what a reader's own links reach: their choices, a
// pause, leaving, a copy of their data and their erasure.
type ReaderStore interface {
	SubscriberByToken(ctx context.Context, tok string) (domain.Subscriber, error)
	SubscriberByUnsubscribeToken(ctx context.Context, tok string) (domain.Subscriber, error)
	UpdatePreferences(ctx context.Context, tok string, f domain.Filter, c domain.Consent) (domain.Subscriber, error)
	Unsubscribe(ctx context.Context, tok string, c domain.Consent) error
	Pause(ctx context.Context, tok string, until time.Time, c domain.Consent) (domain.Subscriber, error)
	Resume(ctx context.Context, tok string, c domain.Consent) (domain.Subscriber, error)
	RequestExport(ctx context.Context, tok string) (domain.ExportRequest, error)
	SubscriberByExportLink(ctx context.Context, tok string) (domain.Subscriber, error)
	UseExportLink(ctx context.Context, tok string) (int64, error)
	EraseSubscriber(ctx context.Context, id int64, actor, newToken string) error
}

// DeskStore is the desk's side: the list, one person's record, the
// operators' actions, and imports.
type DeskStore interface {
	Subscribers(ctx context.Context, f domain.SubscriberFilter) ([]domain.Subscriber, error)
	EachSubscriber(ctx context.Context, f domain.SubscriberFilter, fn func(domain.Subscriber) error) error
	SubscriberCounts(ctx context.Context, f domain.SubscriberFilter) (map[string]int, error)
	SubscriberRecord(ctx context.Context, id int64) (domain.SubscriberRecord, error)
	SubscriberConsents(ctx context.Context, id int64) ([]domain.ConsentEntry, error)
	SubscriberDeliveries(ctx context.Context, id int64, limit int) ([]domain.SubscriberDelivery, error)
	SubscriberNoticeBounces(ctx context.Context, id int64, limit int) ([]domain.BounceRecord, error)
	StopSubscriber(ctx context.Context, id int64, action, actor string) (domain.Subscriber, error)
	EraseSubscriber(ctx context.Context, id int64, actor, newToken string) error
	ImportSubscribers(ctx context.Context, src domain.ImportSource, c domain.Consent) (int, int, error)
	PreviewImportSubscribers(ctx context.Context, src domain.ImportSource, c domain.Consent) (domain.ImportPreview, error)
	SaveDraft(ctx context.Context, kind, format string, body []byte, by string) (int64, error)
	TakeDraft(ctx context.Context, id int64, kind, by string) (string, []byte, error)
}

// MailStore keeps the one-off mails to a person due, claimed and sent,
// so that each goes out once however many tasks ask for it.
type MailStore interface {
	ClaimConfirmation(ctx context.Context, id int64) (domain.ConfirmationClaim, error)
	FinishConfirmation(ctx context.Context, cl domain.ConfirmationClaim) error
	ReleaseConfirmation(ctx context.Context, cl domain.ConfirmationClaim) error
	UnsentConfirmations(ctx context.Context) ([]int64, error)
	ClaimNotice(ctx context.Context, id int64, kind string) (domain.NoticeClaim, error)
	FinishNotice(ctx context.Context, cl domain.NoticeClaim) error
	ReleaseNotice(ctx context.Context, cl domain.NoticeClaim) error
	UnsentNotices(ctx context.Context) ([]domain.DueNotice, error)
	ClaimExport(ctx context.Context, id int64, tok string) (domain.ExportClaim, error)
	FinishExport(ctx context.Context, cl domain.ExportClaim) error
	ReleaseExport(ctx context.Context, cl domain.ExportClaim) error
	UnsentExports(ctx context.Context) ([]int64, error)
	PurgeUnconfirmed(ctx context.Context) (int64, error)
	ReturnLapsedSignUps(ctx context.Context) (int64, error)
	// ScheduleSettings are the desk's rules for readers' own schedules:
	// the welcome says what a short digest does by them.
	ScheduleSettings(ctx context.Context) (domain.ScheduleSettings, error)
}
