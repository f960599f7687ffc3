package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// parseDigestCron reads DIGEST_CRON: a standard five-field rule, or a
// descriptor such as @weekly, read on DIGEST_TZ's wall clock (package
// schedule). robfig/cron also takes a zone of the rule's own and @every;
// both are refused: the first would tick on another clock than the one
// readers are told about, the second at a fixed interval on none. A rule
// that never fires (31 February) would make no edition, ever, silently.
func parseDigestCron(spec string) (cron.Schedule, error) {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("DIGEST_CRON: give the time zone in DIGEST_TZ, not in the rule (%q)", spec)
	}
	if strings.HasPrefix(spec, "@every") {
		return nil, fmt.Errorf("DIGEST_CRON: @every is not a wall-clock schedule; want five fields such as %q", DefaultDigestCron)
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("DIGEST_CRON: %v", err)
	}
	// robfig/cron looks five years ahead: a rule with no tick in them
	// has a day that does not exist.
	if sched.Next(time.Now()).IsZero() {
		return nil, fmt.Errorf("DIGEST_CRON: %q never fires (no such day)", spec)
	}
	return sched, nil
}
