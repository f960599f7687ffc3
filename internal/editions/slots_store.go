package editions

import (
	"context"
	"time"

	"newsdigest/internal/domain"
)

// SlotStore is what readers' own schedules need (package postgres,
// slots.go): who is due, the slots made for them, each reader's window,
// and the desk's rules.
type SlotStore interface {
	ScheduleSettings(ctx context.Context) (domain.ScheduleSettings, error)
	SaveScheduleSettings(ctx context.Context, s domain.ScheduleSettings) error
	DueReaders(ctx context.Context, now time.Time, limit int) ([]domain.DueReader, error)
	Reschedule(ctx context.Context, ids []int64, due []time.Time) error
	CreateSlot(ctx context.Context, slotAt, now time.Time, ids []int64, next []time.Time, maxAge time.Duration) (domain.Edition, bool, error)
	SlotRecipients(ctx context.Context, editionID, after int64, limit int, earlier []int64, at time.Time) ([]domain.SlotRecipient, error)
	AdvanceWindows(ctx context.Context, editionID int64, ids []int64) error
	RestoreSlotWindows(ctx context.Context, editionID int64) error
	Slots(ctx context.Context, limit int) ([]domain.Edition, error)
	DueBefore(ctx context.Context, until time.Time) (int, error)
	SetSignupSchedule(ctx context.Context, email string, s *domain.ReaderSchedule) error
	SetScheduleByToken(ctx context.Context, tok string, s *domain.ReaderSchedule) error
	ScheduleByToken(ctx context.Context, tok string) (domain.ReaderSchedule, bool, error)
}
