package postgres

import (
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// scanEdition reads an edition selected as editionColumns, with its
// rates.
func scanEdition(r pgx.Row) (domain.Edition, error) {
	var e domain.Edition
	var from, to *time.Time
	var pause domain.EditionPauseNote
	var firstSent *int
	var firstFinished, roundStart, pausedAt *time.Time
	var roundFrom int
	var pausedSeconds, firstPausedSeconds float64
	err := r.Scan(&e.ID, &e.Status, &e.Reason, &e.ScheduledFor, &e.Window.IngestedAfter,
		&e.Window.IngestedUntil, &from, &to, &e.Items, &e.Total, &e.Sent, &e.Failed, &e.Skipped,
		&e.SendingStartedAt, &e.CreatedAt, &e.FinishedAt, &e.AutoPause, &pause.Cause, &pause.Count, &pause.Of,
		&firstSent, &firstFinished, &roundStart, &roundFrom, &e.SlotAt, &pausedAt, &pausedSeconds, &firstPausedSeconds)
	if err != nil {
		return e, err
	}
	if e.Status == domain.EditionPaused && pause.Cause != "" {
		e.Paused = &pause
	}
	if e.SendingStartedAt != nil {
		// The rate is that of the round under way (or the last one): a
		// retry's is measured from the retry, over what it sent.
		start, from := *e.SendingStartedAt, 0
		if roundStart != nil {
			start, from = *roundStart, roundFrom
		}
		e.Rate = roundRate(e, e.Sent-from, start, pausedAt, pausedSeconds)
		if firstSent != nil && firstFinished != nil {
			e.FirstSend = &domain.SendRound{Sent: *firstSent, FinishedAt: *firstFinished,
				Rate: sendRate(*firstSent, e.SendingStartedAt.Add(seconds(firstPausedSeconds)), firstFinished)}
		}
	}
	if from != nil {
		e.Window.PublishedFrom = &domain.Date{Time: *from}
	}
	if to != nil {
		e.Window.PublishedTo = &domain.Date{Time: *to}
	}
	return e, nil
}

// roundRate is the rate of an edition's round that began at start and
// sent sent, leaving out the time it waited for an editor: an edition
// that paused itself in this round (paused at pausedAt) sends nothing
// from then while it waits, and, cancelled without being resumed, sent
// nothing after; resumed, the wait it was resumed from (pausedSeconds)
// is not sending time. A pause before start (a round a retry ended) is
// not this round's: a retry by an older process leaves its seconds
// behind.
func roundRate(e domain.Edition, sent int, start time.Time, pausedAt *time.Time, pausedSeconds float64) float64 {
	end := e.FinishedAt
	if pausedAt == nil || pausedAt.Before(start) {
		return sendRate(sent, start, end)
	}
	if e.AutoPause { // paused and never resumed: waiting, or cancelled waiting
		return sendRate(sent, start, pausedAt)
	}
	return sendRate(sent, start.Add(seconds(pausedSeconds)), end)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// sendRate is messages per second sent between start and end (now while
// the round is under way), to a tenth.
func sendRate(sent int, start time.Time, end *time.Time) float64 {
	stop := time.Now()
	if end != nil {
		stop = *end
	}
	secs := stop.Sub(start).Seconds()
	if secs <= 0 || sent <= 0 {
		return 0
	}
	return math.Round(float64(sent)/secs*10) / 10
}
