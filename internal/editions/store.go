package editions

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// The storage this package needs, named by what uses it; package
// postgres implements every one.

// Taxonomies hand out the taxonomy as it is now (a *taxonomy.Cache).
type Taxonomies interface {
	Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error)
}

// BatchStore splits an edition's deliveries into send batches.
type BatchStore interface {
	SendBatches(ctx context.Context, editionID int64, size int, onlyIdle bool) ([]domain.IDRange, error)
}

// CompileStore is what a compile reads and writes: the edition, its
// stories and what earlier editions sent of them, its readers (the
// desk's or a slot's), and the digests and deliveries it makes.
type CompileStore interface {
	BatchStore
	MoveEdition(ctx context.Context, id int64, ev domain.EditionEvent) (bool, error)
	SettleCancelled(ctx context.Context, id int64) error
	Edition(ctx context.Context, id int64) (domain.Edition, error)
	EditionItems(ctx context.Context, editionID int64) ([]domain.Item, error)
	EarlierStories(ctx context.Context, editionID int64) (domain.Earlier, error)
	// CompileAlone runs fn while no other compile runs its own, on any
	// worker, so that each sees the digests the other wrote.
	CompileAlone(ctx context.Context, fn func() error) error
	EditionCancelled(ctx context.Context, id int64) (bool, error)
	ActiveRecipients(ctx context.Context, after int64, limit int, earlier []int64, at time.Time) ([]domain.Recipient, error)
	// A slot's readers, the desk's rule for thin digests, and the
	// readers' windows, moved on or handed back.
	SlotRecipients(ctx context.Context, editionID, after int64, limit int, earlier []int64, at time.Time) ([]domain.SlotRecipient, error)
	ScheduleSettings(ctx context.Context) (domain.ScheduleSettings, error)
	AdvanceWindows(ctx context.Context, editionID int64, ids []int64) error
	RestoreSlotWindows(ctx context.Context, editionID int64) error
	SaveGroups(ctx context.Context, editionID int64, groups []domain.NewDigestGroup) (map[string]int64, error)
	// InsertDeliveries returns the ids of the rows with a digest, in id
	// order, or nil when some of the rows were stored already.
	InsertDeliveries(ctx context.Context, editionID int64, rows []domain.NewDelivery) ([]int64, error)
	DeliveriesWritten(ctx context.Context, editionID int64) (bool, error)
	SetEditionTotal(ctx context.Context, editionID int64) (int, error)
	FinishEditionIfComplete(ctx context.Context, editionID int64) (bool, error)
}

// SendStore is what sending a batch reads and writes: the edition as its
// digests are made from it, and its deliveries, claimed, leased and
// recorded.
type SendStore interface {
	Edition(ctx context.Context, id int64) (domain.Edition, error)
	EditionItems(ctx context.Context, editionID int64) ([]domain.Item, error)
	EditionSnapshot(ctx context.Context, id int64) (domain.EditionSnapshot, error)
	Groups(ctx context.Context, ids []int64) ([]domain.DigestGroup, error)
	ClaimDeliveries(ctx context.Context, editionID int64, r domain.IDRange, lease time.Duration) ([]domain.ClaimedDelivery, error)
	ReleaseClaims(ctx context.Context, ids []int64) error
	// DeliveriesNotToSend are those of ids not to send after all: their reader
	// is no longer active, or a report came back about them.
	DeliveriesNotToSend(ctx context.Context, ids []int64) ([]int64, error)
	ExtendLease(ctx context.Context, ids []int64, lease time.Duration) error
	RecordOutcomes(ctx context.Context, outcomes []domain.DeliveryOutcome, bounceLimit int) error
	SettleCancelled(ctx context.Context, id int64) error
	FinishEditionIfComplete(ctx context.Context, editionID int64) (bool, error)
	// FinishEditionIfCounted is FinishEditionIfComplete, done only when
	// the edition's progress counts say it may be: after each batch.
	FinishEditionIfCounted(ctx context.Context, editionID int64) (bool, error)
	// ListenEditionHalts tells halted of each edition that is cancelled,
	// pauses itself or fails, as it happens, after calling ready once it
	// listens; until ctx ends or the connection is lost.
	ListenEditionHalts(ctx context.Context, ready func(), halted func(id int64)) error
	PauseStore
}

// Store is all the storage the service needs.
type Store interface {
	CompileStore
	SendStore
	BounceStore
	EditionStore
	SampleStore
	ArchiveStore
	SlotStore
}

// EditionStore makes, lists, moves and schedules editions.
type EditionStore interface {
	CreateEdition(ctx context.Context, n domain.NewEdition) (domain.Edition, bool, error)
	Editions(ctx context.Context, limit int) ([]domain.Edition, error)
	EditionsToWatch(ctx context.Context, limit int) ([]domain.Edition, error)
	UnfinishedEditions(ctx context.Context) ([]domain.Edition, error)
	AbandonLapsed(ctx context.Context) error
	FailEdition(ctx context.Context, id int64, reason string) (bool, error)
	CancelEdition(ctx context.Context, id int64) (domain.Edition, error)
	RetryFailed(ctx context.Context, id int64) (domain.Retried, error)
	HasUntriedDeliveries(ctx context.Context, id int64, untried []string) (bool, error)
	WindowItems(ctx context.Context, from, to *domain.Date, maxAge time.Duration) ([]domain.Item, error)
	NextWindowStart(ctx context.Context) (time.Time, error)
	EarlierStoriesOf(ctx context.Context, itemIDs []int64) (domain.Earlier, error)
	ActiveFilters(ctx context.Context) ([]domain.FilterCount, error)
	FailureCounts(ctx context.Context, id int64) (map[string]int, error)
	FailedDeliveries(ctx context.Context, id int64, failure string, limit int) ([]domain.FailedDelivery, error)
	SkipReasons(ctx context.Context, id int64) ([]domain.SkipReason, error)
	ScheduleCoveredUntil(ctx context.Context, now time.Time) (time.Time, error)
	SkipEdition(ctx context.Context, tick time.Time, reason string) (domain.Edition, bool, error)
	SkippedEditions(ctx context.Context, since time.Time, limit int) ([]domain.Edition, error)
}

// SampleStore is what a preview or a test send reads: the latest stories,
// a subscriber's own digest, and the test sends waiting for the worker.
type SampleStore interface {
	Items(ctx context.Context, f domain.ItemFilter) ([]domain.Item, error)
	SubscriberForPreview(ctx context.Context, email string) (domain.Subscriber, error)
	SubscriberGroup(ctx context.Context, editionID, subscriberID int64) (domain.DigestGroup, bool, error)
	SaveTestSend(ctx context.Context, t domain.TestSend, by string) (id int64, made bool, err error)
	LoadTestSend(ctx context.Context, id int64) (domain.TestSend, error)
	FinishTestSend(ctx context.Context, id int64, outcome, failure string) error
	TestSendsBy(ctx context.Context, by string, limit int) ([]domain.TestSendResult, error)
}

// ArchiveStore reads what was sent: the public archive, and one digest
// by its view token.
type ArchiveStore interface {
	ArchiveItems(ctx context.Context, f domain.ArchiveFilter) ([]domain.Item, error)
	GroupByViewToken(ctx context.Context, editionID int64, tok string) (domain.DigestGroup, error)
}
