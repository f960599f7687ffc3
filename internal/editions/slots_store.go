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
	SaveScheduleSettings(ctx context.Context, s domain.ScheduleSettings) error
	UnscheduledSchedules(ctx context.Context) ([]domain.ReaderSchedule, error)
	ScheduleNew(ctx context.Context, schedules []domain.ReaderSchedule, prev, since, due, recent, then []time.Time) error
	MovedSchedules(ctx context.Context) ([]domain.MovedSchedule, error)
	ScheduleMoved(ctx context.Context, moved []domain.MovedSchedule, due []time.Time) error
	RescheduleLate(ctx context.Context, now time.Time, schedules []domain.ReaderSchedule, since, due []time.Time) error
	JoinDeskDue(ctx context.Context, now time.Time) error
	DueSchedules(ctx context.Context, now time.Time) ([]domain.ReaderSchedule, error)
	CreateSlot(ctx context.Context, slotAt, now time.Time, schedules []domain.ReaderSchedule, next []time.Time, maxAge time.Duration) (domain.Edition, bool, error)
	Slots(ctx context.Context, limit int) ([]domain.Edition, error)
	DueBefore(ctx context.Context, until time.Time) (int, error)
	OwnScheduleReaders(ctx context.Context) (int, error)
	SetSignupSchedule(ctx context.Context, email string, s *domain.ReaderSchedule) error
	SetScheduleByToken(ctx context.Context, tok string, s *domain.ReaderSchedule, catchUp time.Time) error
	ScheduleByToken(ctx context.Context, tok string) (domain.ReaderSchedule, bool, error)
}
