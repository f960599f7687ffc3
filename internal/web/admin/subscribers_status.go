package admin

import (
	"time"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
)

// statusView is a subscriber's status as the list and the person's page
// show it: Class names it for the style sheet (status-paused), Text says
// it in the console's language.
type statusView struct {
	Class string
	Text  string
}

// subscriberStatus says where a subscriber is. An active reader whose
// pause has not ended is shown paused, with the day it ends in zone (the
// desk's): "paused (until 9 March 2026)". Their status stays active, as
// the API says it; pausedUntil is nil once the pause is over.
func subscriberStatus(lang string, zone *time.Location, status domain.SubscriberStatus, pausedUntil *time.Time) statusView {
	if status == domain.StatusActive && pausedUntil != nil {
		return statusView{Class: domain.ListPaused, Text: tf(lang, "sub_status_paused_until", dates.Day(lang, pausedUntil.In(zone)))}
	}
	return statusView{Class: string(status), Text: msg(lang, "sub_status_"+string(status))}
}
