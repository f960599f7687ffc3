package web

import (
	"context"
	_ "embed"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
	"newsdigest/internal/schedule"
)

// scheduleForm is the "when your digest arrives" part of the sign-up
// form and the preference centre: how often (of what the desk offers),
// the time zone (a select that works without JavaScript; schedule.js
// proposes the browser's zone) and the hour on the reader's clock.
type scheduleForm struct {
	Frequencies []option
	Zones       []option
	Hours       []option
	SendThin    bool
	// ThinBelow is the desk's number of stories under which a digest
	// waits unless the reader asks for it anyway; 0 when none waits, and
	// the form does not ask.
	ThinBelow int
	// Propose: nothing chosen yet, so the script may propose the
	// browser's zone.
	Propose bool
	// Desk tells a reader of their own schedule which choices are the
	// desk's, to go back to it; empty for anyone else.
	Desk string
}

// zones are the time zones the select lists: one or two a region, by
// the cities people know (every capital of Central America: without the
// script, a reader looks for their own city), each named by its city in the reader's
// language (CLDR's, i18n.ZoneCity). Any IANA name is accepted; a zone a browser
// proposes that is not here is added to the list by the script.
var zones = []string{
	"UTC",
	"America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/Mexico_City",
	"America/Guatemala", "America/Belize", "America/El_Salvador", "America/Tegucigalpa", "America/Managua",
	"America/Costa_Rica", "America/Panama", "America/Bogota", "America/Lima",
	"America/New_York", "America/Havana", "America/Jamaica", "America/Port-au-Prince", "America/Santo_Domingo",
	"America/Puerto_Rico", "America/Barbados", "America/Port_of_Spain", "America/Caracas", "America/Guyana",
	"America/Paramaribo", "America/Santiago", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
	"Atlantic/Azores", "Europe/London", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Berlin",
	"Europe/Athens", "Europe/Moscow", "Africa/Lagos", "Africa/Cairo", "Africa/Nairobi", "Africa/Johannesburg",
	"Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo",
	"Australia/Perth", "Australia/Sydney", "Pacific/Auckland", "Pacific/Honolulu",
}

// scheduleFormOf builds the schedule part of a form with rs chosen (the
// desk's options when own is false).
func (s *Server) scheduleFormOf(ctx context.Context, lang string, rs domain.ReaderSchedule, own bool) (*scheduleForm, error) {
	opts, err := s.editions.FormScheduleOptions(ctx)
	if err != nil {
		return nil, err
	}
	if !own {
		rs = domain.ReaderSchedule{Frequency: opts.Frequency, Timezone: opts.Zone, Hour: opts.Hour, SendThin: rs.SendThin}
	}
	sf := &scheduleForm{SendThin: rs.SendThin, ThinBelow: opts.ThinBelow, Propose: !own}
	if !slices.Contains(opts.Offered, rs.Frequency) && len(opts.Offered) > 0 {
		rs.Frequency = opts.Offered[0]
	}
	for _, f := range opts.Offered {
		sf.Frequencies = append(sf.Frequencies, option{Value: f, Label: frequencyLabel(lang, f, opts.Weekday), Checked: f == rs.Frequency})
	}
	// The desk's zone is always there, so that a reader of their own
	// schedule can go back to the desk's; so is the reader's.
	list := zones
	for _, z := range []string{opts.Zone, rs.Timezone} {
		if !slices.Contains(list, z) && z != "" {
			list = append([]string{z}, list...)
		}
	}
	for _, z := range list {
		sf.Zones = append(sf.Zones, option{Value: z, Label: i18n.ZoneCity(lang, z), Checked: z == rs.Timezone})
	}
	for h := range 24 {
		sf.Hours = append(sf.Hours, option{Value: strconv.Itoa(h), Label: schedule.HourLabel(lang, h), Checked: h == rs.Hour})
	}
	return sf, nil
}

// scheduleInputOf reads the schedule fields of a posted form; a form
// without them (an older page, a script) gives none.
func scheduleInputOf(form url.Values) (editions.ScheduleInput, error) {
	var in editions.ScheduleInput
	if !form.Has("frequency") && !form.Has("timezone") && !form.Has("hour") {
		return in, nil
	}
	if form.Has("frequency") {
		v := form.Get("frequency")
		in.Frequency = &v
	}
	if form.Has("timezone") {
		v := form.Get("timezone")
		in.Timezone = &v
	}
	if form.Has("hour") {
		h, err := strconv.Atoi(strings.TrimSpace(form.Get("hour")))
		if err != nil {
			return in, errs.New(errs.Invalid, "hour: %q is not between 0 and 23", form.Get("hour"))
		}
		in.Hour = &h
	}
	thin := form.Get("send_thin") != ""
	in.SendThin = &thin
	return in, nil
}

// scheduleError is the form's word for a mistake in its schedule fields;
// ok is false for any other error.
func scheduleError(lang string, err error) (fieldError, bool) {
	format := formatOf(err)
	for _, field := range []string{"frequency", "timezone", "hour"} {
		if strings.HasPrefix(format, field+":") {
			return fieldError{Field: field, Target: field, Message: msg(lang, "err_"+field)}, true
		}
	}
	return fieldError{}, false
}

// scheduleScript proposes the browser's time zone on the forms.
//
//go:embed static/schedule.js
var scheduleScript []byte

var serveScheduleScript = serveAsset(scheduleScript, "text/javascript; charset=utf-8")

// readerScheduleForm is the schedule part of a reader's preference centre.
func (s *Server) readerScheduleForm(ctx context.Context, lang, tok string) (*scheduleForm, error) {
	rs, own, err := s.editions.ReaderSchedule(ctx, tok)
	if err != nil {
		return nil, err
	}
	sf, err := s.scheduleFormOf(ctx, lang, rs, own)
	if err != nil {
		return nil, err
	}
	// A reader of the desk's schedule sees it as it is: proposing their
	// browser's zone would move their digest when they save other choices.
	sf.Propose = false
	if own {
		opts, err := s.editions.FormScheduleOptions(ctx)
		if err != nil {
			return nil, err
		}
		// The desk's choices as the form names them (ResolveSchedule
		// takes exactly these for the desk's schedule).
		if slices.Contains(opts.Offered, opts.Frequency) {
			sf.Desk = fmt.Sprintf(msg(lang, "schedule_desk"), frequencyLabel(lang, opts.Frequency, opts.Weekday),
				i18n.ZoneCity(lang, opts.Zone), schedule.HourLabel(lang, opts.Hour))
		}
	}
	return sf, nil
}

// shownSchedule is what a form that came back with a mistake shows: what
// the reader chose, as far as it reads.
func shownSchedule(in editions.ScheduleInput) (domain.ReaderSchedule, bool) {
	if !in.Given() {
		return domain.ReaderSchedule{}, false
	}
	// No hour given selects none (-1), not midnight.
	return in.Over(domain.ReaderSchedule{Hour: -1}), true
}

// homeKey is the key of the cached sign-up form: its language, the
// frequencies the desk offers and its rule for short digests, which the
// console may change.
func (s *Server) homeKey(ctx context.Context, lang string) (string, error) {
	opts, err := s.editions.FormScheduleOptions(ctx)
	if err != nil {
		return "", err
	}
	return lang + "|" + strings.Join(opts.Offered, ",") + "|" + strconv.Itoa(opts.ThinBelow), nil
}

// ownSchedule is what a sign-up records as its schedule: the reader's
// own, or nil when they follow the desk's.
func ownSchedule(rs domain.ReaderSchedule, own bool) *domain.ReaderSchedule {
	if !own {
		return nil
	}
	return &rs
}

// signupSchedule is the schedule of a sign-up that sent in (rs and own
// resolved from it): a request that gave no schedule field keeps a
// pending address's, as the preference centre does (domain.SignupSchedule).
func signupSchedule(in editions.ScheduleInput, rs domain.ReaderSchedule, own bool) domain.SignupSchedule {
	return domain.SignupSchedule{Own: ownSchedule(rs, own), Keep: !in.Given()}
}

// frequencyLabel names a frequency as the forms offer it, with the day a
// weekly or two-weekly digest comes on: "Every week, on Monday".
func frequencyLabel(lang, frequency string, day time.Weekday) string {
	if frequency == domain.FrequencyDaily {
		return msg(lang, "frequency_"+frequency)
	}
	return fmt.Sprintf(msg(lang, "frequency_"+frequency+"_on"), dates.WeekdayName(lang, day))
}
