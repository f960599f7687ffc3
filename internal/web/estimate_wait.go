package web

import (
	"context"
	"net/url"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/subscribers"
)

// frequencyDays is how many days apart a schedule of one's own sends.
var frequencyDays = map[string]int{domain.FrequencyDaily: 1, domain.FrequencyWeekly: 7, domain.FrequencyBiweekly: 14}

// waitWords says, in lang, when the schedule the form in q chooses is one
// of the reader's own that waits for the desk's minimum of stories, and
// the choices' estimate brings fewer than that in one of its periods, how
// often a digest would then come: "Every day" with two stories a week
// is, in fact, every few days. "" when that is not so (the desk's
// schedule, "send it anyway", enough stories, or a schedule the form
// would refuse).
func (s *Server) waitWords(ctx context.Context, lang string, q url.Values, est subscribers.Estimate) (string, error) {
	in, err := scheduleInputOf(q)
	if err != nil {
		return "", nil // the form says what is wrong when it is sent
	}
	// The form's options, read at most every few minutes: a public
	// endpoint asked as boxes are ticked makes no query of its own.
	opts, err := s.editions.FormScheduleOptions(ctx)
	if err != nil {
		return "", err
	}
	rs, own, err := opts.Resolve(in)
	if err != nil || !own || rs.SendThin {
		return "", nil
	}
	every, ok := waitDays(est, frequencyDays[rs.Frequency], opts.ThinBelow, opts.WaitDays)
	if !ok {
		return "", nil
	}
	return i18n.Plural(lang, "page.estimate_waits", every, opts.ThinBelow, every), nil
}

// waitDays is about how many days apart digests of a schedule sending
// every period days would come, when each waits until thinBelow stories
// have gathered (at most waitLimit days) and est is how many the
// choices bring; ok is false when a period brings enough.
func waitDays(est subscribers.Estimate, period, thinBelow, waitLimit int) (days int, ok bool) {
	if period <= 0 || thinBelow <= 0 || est.Stories == 0 {
		return 0, false // nothing matches: the estimate says so already
	}
	// Stories in estimate's weeks, per period: compared in whole
	// numbers, stories × period against thinBelow × the weeks' days.
	span := subscribers.EstimateWeeks * 7
	if est.Stories*period >= thinBelow*span {
		return 0, false
	}
	need := (thinBelow*span + est.Stories - 1) / est.Stories // days to gather thinBelow
	days = min(waitLimit, (need+period-1)/period*period)     // on one of the schedule's days
	return max(days, period), true
}
