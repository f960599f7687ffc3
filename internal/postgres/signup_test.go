package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// Sign-ups arriving together are written together (signup_batch.go), and
// each still ends as it would alone: a new address is one pending
// subscriber with its choices and its schedule, a consent record for
// every request, and one confirmation mail asked for, however many ask
// for it at once and in whatever case they write it.
func TestSignUpsArrivingTogether(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()

	const addresses, askedTimes = 60, 3
	daily := &domain.ReaderSchedule{Frequency: domain.FrequencyDaily, Timezone: "America/Costa_Rica", Hour: 6, SendThin: true}
	type result struct {
		email string
		id    int64
		mail  domain.SignupMail
		err   error
	}
	results := make(chan result, addresses*askedTimes)
	var wg sync.WaitGroup
	for i := range addresses {
		for k := range askedTimes {
			email := fmt.Sprintf("reader%d@example.org", i)
			if k == 1 {
				email = strings.ToUpper(email[:1]) + email[1:] // the same mailbox, another spelling
			}
			var sched *domain.ReaderSchedule
			if i%2 == 1 {
				sched = daily
			}
			f := domain.Filter{Countries: []string{"CR", "PA"}, Topics: []string{"health"}, Language: "es", Mode: domain.ModeAny}
			wg.Go(func() {
				id, mail, err := db.Subscribe(ctx, email, f, domain.SignupSchedule{Own: sched}, consent(), tokens())
				results <- result{strings.ToLower(email), id, mail, err}
			})
		}
	}
	wg.Wait()
	close(results)

	mails := map[string]int{}
	ids := map[string]map[int64]bool{}
	for r := range results {
		if r.err != nil {
			t.Fatalf("Subscribe(%s): %v", r.email, r.err)
		}
		if r.mail == domain.MailConfirmation {
			mails[r.email]++
		}
		if ids[r.email] == nil {
			ids[r.email] = map[int64]bool{}
		}
		if r.id != 0 {
			ids[r.email][r.id] = true
		}
	}
	for i := range addresses {
		email := fmt.Sprintf("reader%d@example.org", i)
		if mails[email] != 1 {
			t.Errorf("%s: %d confirmation mails asked for, want 1", email, mails[email])
		}
		if len(ids[email]) != 1 {
			t.Errorf("%s: ids %v, want one", email, ids[email])
		}
	}

	rows, err := db.Pool().Query(ctx, `
		SELECT lower(s.email), s.status, s.countries, s.topics, s.language, s.frequency, s.timezone, s.hour, s.send_thin,
		       s.confirm_due_at IS NOT NULL, (SELECT count(*) FROM consents c WHERE c.subscriber_id = s.id AND c.action = 'subscribe')
		FROM subscribers s ORDER BY s.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var email, status, lang string
		var countries, topics []string
		var freq, tz *string
		var hour *int16
		var thin, due bool
		var consents int
		if err := rows.Scan(&email, &status, &countries, &topics, &lang, &freq, &tz, &hour, &thin, &due, &consents); err != nil {
			t.Fatal(err)
		}
		n++
		var i int
		fmt.Sscanf(email, "reader%d@", &i)
		got := fmt.Sprintf("%s %v %v %s due %v consents %d", status, countries, topics, lang, due, consents)
		// Every sign-up of a pending address records its consent.
		if want := fmt.Sprintf("pending [CR PA] [health] es due true consents %d", askedTimes); got != want {
			t.Errorf("%s: %s, want %s", email, got, want)
		}
		sched := "desk's"
		if freq != nil && tz != nil && hour != nil {
			sched = fmt.Sprintf("%s %s %d %v", *freq, *tz, *hour, thin)
		}
		want := "desk's"
		if i%2 == 1 {
			want = "daily America/Costa_Rica 6 true"
		}
		if sched != want || (want == "desk's" && thin) {
			t.Errorf("%s: schedule %s (send_thin %v), want %s", email, sched, thin, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != addresses {
		t.Errorf("%d subscribers, want %d", n, addresses)
	}
	var status []string
	if err := db.Pool().QueryRow(ctx, `SELECT array_agg(key || '=' || n ORDER BY key) FROM
		(SELECT key, sum(n) AS n FROM subscriber_tallies WHERE kind = 'status' GROUP BY key) t`).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("[pending=%d]", addresses); fmt.Sprint(status) != want {
		t.Errorf("tallies by status %v, want %s", status, want)
	}
}

// A sign-up's schedule goes in with it, and a pending address signed up
// again takes the new one, as it takes the new choices; a sign-up that
// gives no schedule leaves the one chosen; the desk's schedule (nil)
// clears a reader's own.
func TestSignUpKeepsItsSchedule(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	schedule := func() string {
		t.Helper()
		var freq, tz *string
		var hour *int16
		var thin bool
		err := db.Pool().QueryRow(ctx, `SELECT frequency, timezone, hour, send_thin FROM subscribers WHERE email = 'ana@example.org'`).
			Scan(&freq, &tz, &hour, &thin)
		if err != nil {
			t.Fatal(err)
		}
		if freq == nil || tz == nil || hour == nil {
			return fmt.Sprintf("desk's %v", thin)
		}
		return fmt.Sprintf("%s %s %d %v", *freq, *tz, *hour, thin)
	}
	weekly := &domain.ReaderSchedule{Frequency: domain.FrequencyWeekly, Timezone: "Europe/Madrid", Hour: 9}
	if _, _, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{Own: weekly}, consent(), tokens()); err != nil {
		t.Fatal(err)
	}
	if got, want := schedule(), "weekly Europe/Madrid 9 false"; got != want {
		t.Errorf("new address: schedule %s, want %s", got, want)
	}
	daily := &domain.ReaderSchedule{Frequency: domain.FrequencyDaily, Timezone: "UTC", Hour: 20, SendThin: true}
	if _, _, err := db.Subscribe(ctx, "Ana@example.org", crFilter, domain.SignupSchedule{Own: daily}, consent(), tokens()); err != nil {
		t.Fatal(err)
	}
	if got, want := schedule(), "daily UTC 20 true"; got != want {
		t.Errorf("pending address signed up again: schedule %s, want %s", got, want)
	}
	if _, _, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{Keep: true}, consent(), tokens()); err != nil {
		t.Fatal(err)
	}
	if got, want := schedule(), "daily UTC 20 true"; got != want {
		t.Errorf("pending address signed up again without a schedule: %s, want the one chosen, %s", got, want)
	}
	if _, _, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{}, consent(), tokens()); err != nil {
		t.Fatal(err)
	}
	if got, want := schedule(), "desk's false"; got != want {
		t.Errorf("pending address signed up with the desk's schedule: %s, want %s", got, want)
	}
	// An active reader's schedule changes only from their preferences.
	exec(t, db, `UPDATE subscribers SET status = 'active', frequency = 'weekly', timezone = 'UTC', hour = 7 WHERE email = 'ana@example.org'`)
	if _, _, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{Own: daily}, consent(), tokens()); err != nil {
		t.Fatal(err)
	}
	if got, want := schedule(), "weekly UTC 7 false"; got != want {
		t.Errorf("active address signed up again: schedule %s, want %s", got, want)
	}
	// Signing an unsubscribed address up again with the schedule it had
	// (the preference centre's button) keeps it, and its due time.
	exec(t, db, `UPDATE subscribers SET status = 'unsubscribed', next_due_at = '2030-01-01T07:00:00Z' WHERE email = 'ana@example.org'`)
	weeklyUTC := &domain.ReaderSchedule{Frequency: domain.FrequencyWeekly, Timezone: "UTC", Hour: 7}
	if _, mail, err := db.Subscribe(ctx, "ana@example.org", crFilter, domain.SignupSchedule{Own: weeklyUTC}, consent(), tokens()); err != nil || mail != domain.MailConfirmation {
		t.Fatalf("resubscribe: mail %q, err %v; want a confirmation", mail, err)
	}
	var status string
	var due *time.Time
	if err := db.Pool().QueryRow(ctx, `SELECT status, next_due_at FROM subscribers WHERE email = 'ana@example.org'`).Scan(&status, &due); err != nil {
		t.Fatal(err)
	}
	if got, want := schedule(), "weekly UTC 7 false"; got != want || status != "pending" || due == nil {
		t.Errorf("resubscribed: %s, schedule %s, due %v; want pending, %s, due kept", status, got, due, want)
	}
}
