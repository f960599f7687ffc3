package config

import (
	"strings"
	"testing"
)

// TestDigestCronIsAWallClockSchedule: DIGEST_CRON is read on DIGEST_TZ's
// wall clock. A zone of its own (CRON_TZ=, TZ=) would tick on another
// clock than the one readers are told about; @every ticks at a fixed
// interval from the program's start, on no clock at all; a rule with no
// day to fire on (31 February) never makes an edition. Each is refused,
// naming DIGEST_CRON, instead of running a schedule nobody meant.
func TestDigestCronIsAWallClockSchedule(t *testing.T) {
	for _, spec := range []string{
		"CRON_TZ=Asia/Tokyo 0 7 * * 1",
		"TZ=America/New_York 0 7 * * 1",
		"@every 1m",
		"0 7 31 2 *",
	} {
		_, err := Load(env(map[string]string{"SECRET_KEY": key, "DIGEST_CRON": spec}))
		if err == nil || !strings.HasPrefix(err.Error(), "DIGEST_CRON:") {
			t.Errorf("DIGEST_CRON=%q: err = %v, want one starting with DIGEST_CRON:", spec, err)
		}
	}
	for _, spec := range []string{"0 7 * * 1", "30 6 * * mon-fri", "@weekly", "@daily", "0 7 29 2 *", "0 7 1,15 * *"} {
		if _, err := Load(env(map[string]string{"SECRET_KEY": key, "DIGEST_CRON": spec})); err != nil {
			t.Errorf("DIGEST_CRON=%q refused: %v", spec, err)
		}
	}
}
