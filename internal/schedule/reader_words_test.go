package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/domain"
)

// TestForReaderWordsTheirOwnSchedule: a reader's own schedule is worded
// in their language, on their clock in their zone (across Madrid's change
// from summer time), with their next digest as the worker worked it out
// or, before it has, as it will; a reader of the desk's gets the desk's.
func TestForReaderWordsTheirOwnSchedule(t *testing.T) {
	t.Parallel()
	desk, err := cron.ParseStandard("0 7 * * 1")
	if err != nil {
		t.Fatal(err)
	}
	cr, _ := time.LoadLocation("America/Costa_Rica")
	// Saturday 24 October 2026, 12:00 UTC: Madrid leaves summer time the
	// next night.
	now := time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC)
	due := time.Date(2026, 10, 26, 7, 0, 0, 0, time.UTC) // 08:00 in Madrid, winter time
	stale := now.Add(-time.Hour)
	for _, tc := range []struct {
		rs   *domain.ReaderSchedule
		due  *time.Time
		lang string
		want string
	}{
		{&domain.ReaderSchedule{Frequency: "daily", Timezone: "Europe/Madrid", Hour: 8}, nil, "es",
			"Todos los días a las 08:00 (hora de Madrid); el próximo, el domingo 25 de octubre"},
		{&domain.ReaderSchedule{Frequency: "daily", Timezone: "Europe/Madrid", Hour: 8}, &due, "es",
			"Todos los días a las 08:00 (hora de Madrid); el próximo, el lunes 26 de octubre"},
		{&domain.ReaderSchedule{Frequency: "biweekly", Timezone: "Europe/Madrid", Hour: 8}, &due, "fr",
			"Un lundi sur deux à 08\u00a0h\u00a000 (heure\u00a0: Madrid)\u00a0; prochain envoi le lundi 26 octobre"},
		{&domain.ReaderSchedule{Frequency: "weekly", Timezone: "America/Mexico_City", Hour: 6}, &stale, "en",
			"Every Monday at 06:00 (Mexico City time); the next one on Monday 26 October"},
		{nil, nil, "en", "Every Monday at 07:00 (Costa Rica time); the next one on Monday 26 October"},
		// The zone's city is the reader's language's, from CLDR.
		{&domain.ReaderSchedule{Frequency: "daily", Timezone: "Asia/Tokyo", Hour: 3}, nil, "es",
			"Todos los días a las 03:00 (hora de Tokio); el próximo, el domingo 25 de octubre"},
		{&domain.ReaderSchedule{Frequency: "weekly", Timezone: "America/Mexico_City", Hour: 6}, &stale, "es",
			"Cada lunes a las 06:00 (hora de Ciudad de México); el próximo, el lunes 26 de octubre"},
		{&domain.ReaderSchedule{Frequency: "daily", Timezone: "Europe/London", Hour: 8}, nil, "fr",
			"Tous les jours à 08\u00a0h\u00a000 (heure\u00a0: Londres)\u00a0; prochain envoi le dimanche 25 octobre"},
		{&domain.ReaderSchedule{Frequency: "daily", Timezone: "Asia/Kolkata", Hour: 8}, nil, "en",
			"Every day at 08:00 (Kolkata time); the next one on Sunday 25 October"},
	} {
		if got := ForReader(tc.rs, tc.due, desk, cr, now, tc.lang); got != tc.want {
			t.Errorf("%+v due %v in %s:\n got %q\nwant %q", tc.rs, tc.due, tc.lang, got, tc.want)
		}
	}
}

// TestDeskFrequency: the readers who follow DIGEST_CRON read as daily
// ones when it sends every day, else as weekly ones.
func TestDeskFrequency(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{"0 7 * * *": "daily", "30 6 * * 0-6": "daily", "0 7 * * 1": "weekly",
		"0 7 * * 1-5": "weekly", "0 7 1 * *": "weekly"} {
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := DeskFrequency(sched); got != want {
			t.Errorf("DeskFrequency(%q) = %q, want %q", spec, got, want)
		}
	}
}

// An hour in a menu is written as the schedule's sentences write it.
func TestHourLabelIsTheSentencesClock(t *testing.T) {
	for lang, want := range map[string]string{"en": "07:00", "es": "07:00", "fr": "07\u00a0h\u00a000"} {
		if got := HourLabel(lang, 7); got != want {
			t.Errorf("%s: hour 7 is %q, want %q", lang, got, want)
		}
		loc := time.UTC
		next := time.Date(2026, time.December, 8, 7, 0, 0, 0, loc)
		if s := DescribeReader(domain.FrequencyDaily, loc, next, next.Add(-time.Hour), lang); !strings.Contains(s, want) {
			t.Errorf("%s: the sentence %q does not say %q", lang, s, want)
		}
	}
}
