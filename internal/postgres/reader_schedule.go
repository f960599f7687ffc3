package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// ScheduleSettings are the desk's rules for readers' own schedules.
func (db *DB) ScheduleSettings(ctx context.Context) (domain.ScheduleSettings, error) {
	var s domain.ScheduleSettings
	err := db.pool.QueryRow(ctx, `SELECT frequencies, min_stories, wait_days FROM schedule_settings WHERE id = 1`).
		Scan(&s.Frequencies, &s.MinStories, &s.WaitDays)
	if err != nil {
		return s, fmt.Errorf("schedule settings: %w", err)
	}
	return s, nil
}

// SaveScheduleSettings stores the desk's rules (validated by the caller).
func (db *DB) SaveScheduleSettings(ctx context.Context, s domain.ScheduleSettings) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO schedule_settings (id, frequencies, min_stories, wait_days) VALUES (1, $1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET frequencies = $1, min_stories = $2, wait_days = $3`,
		s.Frequencies, s.MinStories, s.WaitDays)
	if err != nil {
		return fmt.Errorf("save schedule settings: %w", err)
	}
	return nil
}

// setSchedule is the update of a reader's schedule; nil follows the
// desk's.
var setSchedule = `UPDATE subscribers SET ` + scheduleAssignments(2)

// scheduleAssignments sets a reader's schedule from the four values of
// scheduleArgs, at $n to $n+3. Their due time is cleared, for the worker
// to work out from the new schedule, unless the schedule stays as it was
// (and was not kept only to send what a move to the desk's owed); the
// window is kept, so nothing is lost or sent twice. A move of the hour
// or zone alone keeps the due time it replaces (due_before_change; the
// first one's, if moved again before the worker looked), which the new
// one is worked out from (schedule.Moved). Every value on the right is
// the row's before the update.
func scheduleAssignments(n int) string {
	f, tz, h, thin := fmt.Sprintf("$%d", n), fmt.Sprintf("$%d", n+1), fmt.Sprintf("$%d", n+2), fmt.Sprintf("$%d", n+3)
	same := `frequency IS NOT DISTINCT FROM ` + f + ` AND timezone IS NOT DISTINCT FROM ` + tz + `
	                        AND hour IS NOT DISTINCT FROM ` + h + ` AND NOT joins_desk`
	return `frequency = ` + f + `, timezone = ` + tz + `, hour = ` + h + `, send_thin = COALESCE(` + thin + `, false),
	next_due_at = CASE WHEN ` + same + ` THEN next_due_at END,
	due_before_change = CASE WHEN ` + same + ` THEN due_before_change
	                         WHEN frequency = ` + f + ` AND NOT joins_desk THEN COALESCE(next_due_at, due_before_change) END,
	joins_desk = false`
}

func scheduleArgs(s *domain.ReaderSchedule) []any {
	if s == nil {
		return []any{nil, nil, nil, nil}
	}
	return []any{s.Frequency, s.Timezone, s.Hour, s.SendThin}
}

// SetSignupSchedule sets the schedule of the address just signed up,
// while it waits for confirmation: the schedule of an active reader
// changes only from their preference centre, as their choices do.
func (db *DB) SetSignupSchedule(ctx context.Context, email string, s *domain.ReaderSchedule) error {
	_, err := db.pool.Exec(ctx, setSchedule+` WHERE lower(email) = lower($1) AND status = $6`,
		append([]any{email}, append(scheduleArgs(s), domain.StatusPending)...)...)
	if err != nil {
		return fmt.Errorf("set schedule: %w", err)
	}
	return nil
}

// SetScheduleByToken sets the schedule of the reader a token belongs to
// (nil: the desk's), so that the move loses no story and repeats none:
//
//   - from the desk's to their own, their window begins where the desk's
//     editions' stories for them end (lastDeskCutoff; else as a new
//     reader's);
//   - from their own to the desk's, when stories are owed to them (their
//     window began before the desk's last cut-off, so the desk's next
//     edition does not hold them all, or a slot of theirs is unfinished:
//     owedByDesk), they keep their schedule for one more digest, due at
//     catchUp, and join the desk at the first desk edition made once it
//     has gone (joinDeskNow, editions.go); else they join at once.
//
// A reader's earlier digests spare them what two windows share.
func (db *DB) SetScheduleByToken(ctx context.Context, tok string, s *domain.ReaderSchedule, catchUp time.Time) error {
	sql, args := setSchedule+`, window_start = CASE WHEN frequency IS NULL THEN COALESCE((`+lastDeskCutoff+`), window_start)
	                                                ELSE window_start END
		WHERE token = $1 AND status <> $6`, append([]any{tok}, append(scheduleArgs(s), domain.StatusErased)...)
	if s == nil {
		sql, args = joinDesk, []any{tok, catchUp, domain.StatusErased, finishedStatuses()}
	}
	tag, err := db.pool.Exec(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("set schedule: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound(pgx.ErrNoRows, "subscriber")
	}
	return nil
}

// ScheduleByToken is the schedule of the reader a token belongs to; own
// is false when they follow the desk's.
func (db *DB) ScheduleByToken(ctx context.Context, tok string) (s domain.ReaderSchedule, own bool, err error) {
	var f, tz *string
	var hour *int16
	var thin, joining bool
	err = db.pool.QueryRow(ctx, `SELECT frequency, timezone, hour, send_thin, joins_desk FROM subscribers WHERE token = $1 AND status <> $2`,
		tok, domain.StatusErased).Scan(&f, &tz, &hour, &thin, &joining)
	if err != nil {
		return s, false, notFound(err, "subscriber")
	}
	if f == nil || tz == nil || hour == nil || joining {
		return s, false, nil
	}
	return domain.ReaderSchedule{Frequency: *f, Timezone: *tz, Hour: int(*hour), SendThin: thin}, true, nil
}

// lastDeskCutoff is, for the subscriber row being updated, where the
// stories the desk's editions gave them end: the cut-off of the last desk
// edition of new stories that counted them (a delivery row, whatever
// became of it), or, while that edition is still going, where its window
// began (it may yet be cancelled or fail, and its stories are carried
// only to the desk's readers; what it does send, their earlier digests
// spare them). Editions that published nothing are left out: the next
// desk edition carries their stories, and a reader leaving the desk would
// not be in it. It is no earlier than where the desk's latest edition
// began: a reader back after months away starts as recently as the
// desk's readers do. NULL for a reader no desk edition counted.
var lastDeskCutoff = `SELECT GREATEST(
	    max(CASE WHEN e.status = '` + string(domain.EditionDone) + `' THEN e.ingested_until ELSE e.ingested_after END),
	    (SELECT max(l.ingested_after) FROM editions l WHERE l.slot_at IS NULL AND l.ingested_until IS NOT NULL AND NOT ` + voidEdition("l") + `))
	FROM deliveries d JOIN editions e ON e.id = d.edition_id
	WHERE d.subscriber_id = subscribers.id AND e.slot_at IS NULL AND e.ingested_until IS NOT NULL AND NOT ` + voidEdition("e") + `
	HAVING count(*) > 0`

// owedByDesk is true of a reader with their own schedule whose window
// (or, before their first digest, their confirmation) began before the
// desk's last cut-off, so that the desk's next edition would not hold
// all they are owed; or who has a slot not yet finished, which may still
// be cancelled and hand their window back ($4: the finished statuses).
var owedByDesk = `(frequency IS NOT NULL AND (COALESCE(window_start, confirmed_at, now()) <
	(SELECT COALESCE(max(ingested_until), '-infinity') FROM editions)
	OR ` + slotUnfinished("subscribers", "$4") + `))`

// joinDesk moves the reader of token $1 to the desk's schedule, at once
// or, when stories are owed to them (owedByDesk, worked out once), after
// one more digest due at $2.
var joinDesk = `UPDATE subscribers s SET
	joins_desk = o.owed,
	frequency = CASE WHEN o.owed THEN s.frequency END,
	timezone = CASE WHEN o.owed THEN s.timezone END,
	hour = CASE WHEN o.owed THEN s.hour END,
	send_thin = o.owed AND s.send_thin,
	next_due_at = CASE WHEN o.owed THEN $2::timestamptz END,
	due_before_change = NULL,
	window_start = CASE WHEN o.owed THEN s.window_start END
	FROM (SELECT id, ` + owedByDesk + ` AS owed FROM subscribers WHERE token = $1 AND status <> $3) o
	WHERE s.id = o.id`

// slotUnfinished is true of a reader (the subscribers row aliased sub)
// who has a slot not yet finished ($finished: the finished statuses),
// which may still be cancelled and hand them back their window.
func slotUnfinished(sub, finished string) string {
	return `EXISTS (SELECT 1 FROM slot_readers r JOIN editions x ON x.id = r.edition_id
	               WHERE r.subscriber_id = ` + sub + `.id AND x.status <> ALL(` + finished + `))`
}

// joinedDesk is what a reader joining the desk's schedule becomes: no
// schedule, window or due time of their own.
const joinedDesk = `joins_desk = false, frequency = NULL, timezone = NULL, hour = NULL,
	send_thin = false, next_due_at = NULL, due_before_change = NULL, window_start = NULL`

// JoinDeskDue moves to the desk's schedule the readers joining it whose
// own digest is due again at now and whose last one has gone: their
// window reaches where the desk's next edition of new stories begins
// (a slot of theirs went after the desk's latest edition was made), and
// no slot of theirs is unfinished. Such a reader would otherwise go on
// getting digests of their own, on the schedule they left, until the
// desk's next edition took them (joinDeskNow).
func (db *DB) JoinDeskDue(ctx context.Context, now time.Time) error {
	_, err := db.pool.Exec(ctx, `UPDATE subscribers s SET `+joinedDesk+`
		WHERE s.joins_desk AND s.status = $2 AND s.next_due_at <= $1
		  AND s.window_start >= (SELECT `+nextWindowStart("$4")+` FROM editions)
		  AND NOT `+slotUnfinished("s", "$3"),
		now, domain.StatusActive, finishedStatuses(), domain.FirstWindow)
	if err != nil {
		return fmt.Errorf("readers joining the desk: %w", err)
	}
	return nil
}
