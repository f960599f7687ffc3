package schedule

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestDescribe checks Describe, and Rule, its first half for a worded
// schedule.
func TestDescribe(t *testing.T) {
	cr, err := time.LoadLocation("America/Costa_Rica")
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday 1 December 2026, 22:40 UTC: 16:40 in Costa Rica.
	now := time.Date(2026, 12, 1, 22, 40, 0, 0, time.UTC)
	for _, tc := range []struct {
		spec, lang string
		loc        *time.Location
		want       string
		rule       string // Rule's answer; "" for none
	}{
		{"0 7 * * 1", "en", cr, "Every Monday at 07:00 (Costa Rica time); the next one on Monday 7 December", "Every Monday at 07:00 (Costa Rica time)"},
		{"0 7 * * 1", "es", cr, "Cada lunes a las 07:00 (hora de Costa Rica); el próximo, el lunes 7 de diciembre", "Cada lunes a las 07:00 (hora de Costa Rica)"},
		{"30 6 * * *", "en", time.UTC, "Every day at 06:30 (UTC); the next one on Wednesday 2 December", "Every day at 06:30 (UTC)"},
		{"30 6 * * *", "es", time.UTC, "Todos los días a las 06:30 (UTC); el próximo, el miércoles 2 de diciembre", "Todos los días a las 06:30 (UTC)"},
		{"0 8 * * 1,4", "en", cr, "Every Monday and Thursday at 08:00 (Costa Rica time); the next one on Thursday 3 December", "Every Monday and Thursday at 08:00 (Costa Rica time)"},
		{"0 8 * * 0,3,5", "es", cr, "Cada miércoles, viernes y domingo a las 08:00 (hora de Costa Rica); el próximo, el miércoles 2 de diciembre", "Cada miércoles, viernes y domingo a las 08:00 (hora de Costa Rica)"},
		// Days of the month have no rule in words: the next send says it.
		{"0 9 1 * *", "en", cr, "The next one on Friday 1 January 2027 at 09:00 (Costa Rica time)", ""},
		{"0 9 1 * *", "es", cr, "El próximo, el viernes 1 de enero de 2027 a las 09:00 (hora de Costa Rica)", ""},
		{"0 7 * * 1", "fr", cr, "Chaque lundi à 07\u00a0h\u00a000 (heure\u00a0: Costa Rica)\u00a0; prochain envoi le lundi 7 décembre", "Chaque lundi à 07\u00a0h\u00a000 (heure\u00a0: Costa Rica)"},
		{"0 9 1 * *", "fr", cr, "Prochain envoi le vendredi 1er janvier 2027 à 09\u00a0h\u00a000 (heure\u00a0: Costa Rica)", ""},
		{"0 7,19 * * 1", "en", time.UTC, "The next one on Monday 7 December at 07:00 (UTC)", ""},
	} {
		sched, err := cron.ParseStandard(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := Describe(sched, tc.loc, now, tc.lang); got != tc.want {
			t.Errorf("Describe(%q, %s, %s)\n got %q\nwant %q", tc.spec, tc.loc, tc.lang, got, tc.want)
		}
		if got, ok := Rule(sched, tc.loc, now, tc.lang); got != tc.rule || ok != (tc.rule != "") {
			t.Errorf("Rule(%q, %s, %s) = %q, %v; want %q", tc.spec, tc.loc, tc.lang, got, ok, tc.rule)
		}
	}
}

func TestDate(t *testing.T) {
	cr, _ := time.LoadLocation("America/Costa_Rica")
	// 03:00 UTC on the 16th is still the 15th in Costa Rica.
	at := time.Date(2026, 12, 16, 3, 0, 0, 0, time.UTC)
	if got := Date(at, cr, "en"); got != "Tuesday 15 December 2026" {
		t.Errorf("Date en = %q", got)
	}
	if got := Date(at, cr, "es"); got != "martes 15 de diciembre de 2026" {
		t.Errorf("Date es = %q", got)
	}
}
