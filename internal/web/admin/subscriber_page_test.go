package admin

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
	"newsdigest/internal/schedule"
	"newsdigest/internal/subscribers"
)

// renderSubscriber renders the console's page of a person in lang.
func renderSubscriber(t *testing.T, lang string, v subscriberView) string {
	t.Helper()
	pages, err := parsePages(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := pages.ExecuteTemplate(&out, "subscriber.html", page{Lang: lang, User: &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}, Data: v}); err != nil {
		t.Fatalf("subscriber.html (%s): %v", lang, err)
	}
	return out.String()
}

// consentCheck finds the list of actions the consents table accepts, in
// the statement that creates the table or replaces its check.
var consentCheck = regexp.MustCompile(`(?s)(?:CREATE TABLE consents \(|ALTER TABLE consents ADD CONSTRAINT consents_action_check)[^;]*?CHECK \(action IN \(([^)]*)\)\)`)

// consentActions are the actions a consent record can hold: those of the
// latest migration that says (the database refuses any other).
func consentActions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../postgres/migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	slices.Sort(files)
	var list string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(string(b), "-- +goose Down")
		for _, m := range consentCheck.FindAllStringSubmatch(up, -1) {
			list = m[1]
		}
	}
	var actions []string
	for _, a := range strings.Split(list, ",") {
		actions = append(actions, strings.Trim(strings.TrimSpace(a), "'"))
	}
	if len(actions) < 2 {
		t.Fatalf("the consent actions read from the migrations: %q", list)
	}
	return actions
}

// TestEveryConsentActionIsNamed: each action a person's consent record
// can hold (pausing and resuming among them) is named in every language
// on the person's page, never shown as its key.
func TestEveryConsentActionIsNamed(t *testing.T) {
	actions := consentActions(t)
	if !slices.Contains(actions, "pause") || !slices.Contains(actions, "resume") {
		t.Fatalf("consent actions %v: pause and resume are missing, the migrations were not read right", actions)
	}
	var v subscriberView
	v.Record = domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: domain.StatusActive,
		Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}}}
	for _, a := range actions {
		if !hasMsg("sub_action_" + a) {
			t.Errorf("the consent action %q has no words (sub_action_%s)", a, a)
		}
		v.Consents = append(v.Consents, domain.ConsentEntry{Action: a})
	}
	cell := regexp.MustCompile(`<tr><td>([^<]*)</td>`)
	for _, lang := range domain.Languages {
		out := renderSubscriber(t, lang, v)
		_, table, _ := strings.Cut(out, `<table id="consents">`)
		cells := cell.FindAllStringSubmatch(table, -1)
		if len(cells) < len(actions) {
			t.Fatalf("%s: %d consent rows, want %d", lang, len(cells), len(actions))
		}
		for i, a := range actions {
			if got, want := html.UnescapeString(cells[i][1]), msg(lang, "sub_action_"+a); got != want || strings.Contains(got, "sub_action_") {
				t.Errorf("%s: the consent action %s is shown as %q, want %q", lang, a, got, want)
			}
		}
	}
}

// mondayDeskAndMadrid is a desk sending on Mondays at 07:00, and the
// zone of the readers of the schedule tests.
func mondayDeskAndMadrid(t *testing.T) (cron.Schedule, *time.Location) {
	t.Helper()
	desk, err := cron.ParseStandard("0 7 * * 1")
	if err != nil {
		t.Fatal(err)
	}
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	return desk, madrid
}

// TestScheduleSaysNoSendWhenNoneGoes: the person's page gives no next
// digest to someone who is not active (a pause left over from before
// they left changes nothing), and for a paused reader says when the
// pause ends and which digest comes first after it, on the desk's
// schedule or their own (every other week keeping their weeks), never
// one inside the pause.
func TestScheduleSaysNoSendWhenNoneGoes(t *testing.T) {
	desk, madrid := mondayDeskAndMadrid(t)
	now := time.Date(2026, 12, 6, 18, 51, 0, 0, time.UTC) // a Sunday
	until := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2026, 12, d, 8, 0, 0, 0, madrid) }
	own := func(freq string) *domain.ReaderSchedule {
		return &domain.ReaderSchedule{Frequency: freq, Timezone: "Europe/Madrid", Hour: 8}
	}
	record := func(status domain.SubscriberStatus, rs *domain.ReaderSchedule, due time.Time, paused bool) domain.SubscriberRecord {
		r := domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: status,
			Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}}, Schedule: rs}
		if !due.IsZero() {
			r.NextDueAt = &due
		}
		if paused {
			r.PausedUntil = &until
		}
		return r
	}
	for _, tc := range []struct {
		name   string
		r      domain.SubscriberRecord
		next   time.Time // the digest the text must name; zero: none
		inside time.Time // one it must not name
	}{
		{"unsubscribed, paused before", record(domain.StatusUnsubscribed, own(domain.FrequencyDaily), day(7), true), time.Time{}, day(7)},
		{"suppressed, the desk's", record(domain.StatusSuppressed, nil, time.Time{}, false), time.Time{}, day(7)},
		{"paused, daily", record(domain.StatusActive, own(domain.FrequencyDaily), day(7), true), day(21), day(7)},
		{"paused, every other week", record(domain.StatusActive, own(domain.FrequencyBiweekly), day(14), true), day(28), day(21)},
		{"paused, the desk's", record(domain.StatusActive, nil, time.Time{}, true), day(21), day(7)},
		{"active, daily", record(domain.StatusActive, own(domain.FrequencyDaily), day(7), false), day(7), time.Time{}},
	} {
		for _, lang := range domain.Languages {
			got := scheduleText(tc.r, desk, time.UTC, now, lang)
			if tc.next.IsZero() {
				if want := msg(lang, "sub_schedule_none"); got != want {
					t.Errorf("%s (%s): %q, want %q", tc.name, lang, got, want)
				}
				out := renderSubscriber(t, lang, subscriberView{Page: subscribers.Page{Record: tc.r}, ScheduleText: got})
				if strings.Contains(out, `id="sub-paused"`) {
					t.Errorf("%s (%s): the page says paused until, for someone who gets nothing anyway", tc.name, lang)
				}
				continue
			}
			if want := dates.Weekday(lang, tc.next, false); !strings.Contains(got, want) {
				t.Errorf("%s (%s): %q does not name the next digest, %s", tc.name, lang, got, want)
			}
			if !tc.inside.IsZero() && strings.Contains(got, dates.Weekday(lang, tc.inside, false)) {
				t.Errorf("%s (%s): %q names a digest the pause skips", tc.name, lang, got)
			}
			if ends := schedule.Date(until, time.UTC, lang); tc.r.PausedUntil != nil && !strings.Contains(got, ends) {
				t.Errorf("%s (%s): %q does not say the pause ends on %s", tc.name, lang, got, ends)
			}
		}
	}
}

// TestEveryDeliveryStatusIsNamed: the person's deliveries are told in the
// page's language, each status and each reason a skip records, never as
// stored ("sent", "paused").
func TestEveryDeliveryStatusIsNamed(t *testing.T) {
	var v subscriberView
	v.Record = domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: domain.StatusActive,
		Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}}}
	for i, s := range domain.DeliveryStatuses {
		if !hasMsg("sub_delivery_" + string(s)) {
			t.Errorf("the delivery status %q has no words (sub_delivery_%s)", s, s)
		}
		d := domain.SubscriberDelivery{EditionID: int64(i + 1), Status: s}
		if s == domain.DeliverySkipped {
			d.Reason = "paused"
		}
		v.Deliveries = append(v.Deliveries, d)
	}
	row := regexp.MustCompile(`<td class="status-([a-z]+)">([^<]*)</td><td>([^<]*)</td>`)
	for _, lang := range domain.Languages {
		_, table, _ := strings.Cut(renderSubscriber(t, lang, v), `<table id="deliveries">`)
		rows := row.FindAllStringSubmatch(table, -1)
		if len(rows) != len(domain.DeliveryStatuses) {
			t.Fatalf("%s: %d delivery rows, want %d", lang, len(rows), len(domain.DeliveryStatuses))
		}
		for _, m := range rows {
			if got, want := html.UnescapeString(m[2]), msg(lang, "sub_delivery_"+m[1]); got != want || strings.Contains(got, "sub_delivery_") {
				t.Errorf("%s: the delivery status %s is shown as %q, want %q", lang, m[1], got, want)
			}
			if m[1] == domain.DeliverySkipped {
				if got, want := html.UnescapeString(m[3]), msg(lang, "editions_skip_paused"); got != want {
					t.Errorf("%s: the skip's reason is shown as %q, want %q", lang, got, want)
				}
			}
		}
	}
}

// TestScheduleOfAReaderWhoJustMovedTheirHour: a daily reader who moved
// from 07:00 to 09:00 just after their digest is shown tomorrow at 09:00,
// the digest the worker will set from the one the move replaced, not a
// second one today at 09:00 (the first new hour from now).
func TestScheduleOfAReaderWhoJustMovedTheirHour(t *testing.T) {
	desk, madrid := mondayDeskAndMadrid(t)
	now := time.Date(2026, 12, 7, 7, 5, 0, 0, madrid) // a Monday, just after the 07:00 digest
	replaced := time.Date(2026, 12, 8, 7, 0, 0, 0, madrid)
	r := domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: domain.StatusActive,
		Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}},
		Schedule:        &domain.ReaderSchedule{Frequency: domain.FrequencyDaily, Timezone: "Europe/Madrid", Hour: 9},
		DueBeforeChange: &replaced}
	for _, lang := range domain.Languages {
		got := scheduleText(r, desk, time.UTC, now, lang)
		if want := dates.Weekday(lang, replaced, false); !strings.Contains(got, want) {
			t.Errorf("(%s) %q does not name tomorrow, %s", lang, got, want)
		}
		if today := dates.Weekday(lang, now, false); strings.Contains(got, today) {
			t.Errorf("(%s) %q names a second digest today", lang, got)
		}
	}
}

// TestImportConsentIsTheEditors: a person's page shows the IP address
// and browser of an import's consent record as the editor's who attested
// it, beside their name, never in the person's own columns; a record
// kept before imports named their editor says an editor did it.
func TestImportConsentIsTheEditors(t *testing.T) {
	var v subscriberView
	v.Record = domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: domain.StatusActive,
		Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}}}
	v.Consents = []domain.ConsentEntry{
		{Action: "import", IP: "192.0.2.7", UserAgent: "EditorBrowser/1.0", FormVersion: subscribers.ImportFormVersion, Actor: "ana"},
		{Action: "import", IP: "192.0.2.8", UserAgent: "OlderBrowser/1.0", FormVersion: subscribers.ImportFormVersion},
		{Action: "subscribe", IP: "198.51.100.9", UserAgent: "ReaderBrowser/2.0", FormVersion: "v1"},
	}
	row := regexp.MustCompile(`(?s)<tr><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td class="sub-ua">([^<]*)</td><td>[^<]*</td><td>(.*?)</td></tr>`)
	for _, lang := range domain.Languages {
		_, table, _ := strings.Cut(renderSubscriber(t, lang, v), `<table id="consents">`)
		rows := row.FindAllStringSubmatch(table, -1)
		if len(rows) != 3 {
			t.Fatalf("%s: %d consent rows: %s", lang, len(rows), table)
		}
		for i, who := range []string{"ana", msg(lang, "sub_c_actor_unrecorded")} {
			c := v.Consents[i]
			if rows[i][1] != "" || rows[i][2] != "" {
				t.Errorf("%s: an import's IP address and browser are shown as the person's: %q, %q", lang, rows[i][1], rows[i][2])
			}
			by := html.UnescapeString(rows[i][3])
			if !strings.HasPrefix(by, who) || !strings.Contains(by, c.IP) || !strings.Contains(by, c.UserAgent) {
				t.Errorf("%s: an import done by %q; want %s, with their IP address and browser", lang, by, who)
			}
		}
		if rows[2][1] != "198.51.100.9" || rows[2][2] != "ReaderBrowser/2.0" || rows[2][3] != "" {
			t.Errorf("%s: the person's own sign-up shows %q", lang, rows[2][1:])
		}
	}
}

// TestConsentsSayWhatTheyCameThrough: the consent record says in words
// what each consent came through (the sign-up form and its version, the
// preferences page, a list import, an operator's action), in every
// language, never as the stored value; a value it has no words for is
// shown as stored.
func TestConsentsSayWhatTheyCameThrough(t *testing.T) {
	var v subscriberView
	v.Record = domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: domain.StatusActive,
		Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}}}
	stored := []string{subscribers.FormVersion, "preferences", subscribers.ImportFormVersion, "operator", "kiosk-2031", ""}
	for _, s := range stored {
		v.Consents = append(v.Consents, domain.ConsentEntry{Action: "confirm", FormVersion: s})
	}
	via := regexp.MustCompile(`<td class="sub-ua">[^<]*</td><td>([^<]*)</td>`)
	for _, lang := range domain.Languages {
		_, table, _ := strings.Cut(renderSubscriber(t, lang, v), `<table id="consents">`)
		cells := via.FindAllStringSubmatch(table, -1)
		if len(cells) != len(stored) {
			t.Fatalf("%s: %d consent rows, want %d: %s", lang, len(cells), len(stored), table)
		}
		want := []string{tf(lang, "sub_via_subscribe", strings.TrimPrefix(subscribers.FormVersion, "subscribe-v")), msg(lang, "sub_via_preferences"), msg(lang, "sub_via_csv_import"),
			msg(lang, "sub_via_operator"), "kiosk-2031", ""}
		for i, c := range cells {
			if got := html.UnescapeString(c[1]); got != want[i] {
				t.Errorf("%s: the consent through %q is shown as %q, want %q", lang, stored[i], got, want[i])
			}
		}
	}
}
