package admin

import (
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
)

// passwordChecks bounds the password hashing (argon2id, 19 MiB and tens of
// milliseconds of a core each) that runs at once. Past the bound a login
// is answered "busy" at once rather than queued: waiting logins would
// pile up their memory and their connections behind the ones hashing,
// which is how a flood of logins exhausts the process. The bound is the
// number of cores Go uses: more hashes at once would not finish sooner.
type passwordChecks struct {
	slots   chan struct{}
	run     prometheus.Counter
	refused prometheus.Counter
}

func newPasswordChecks(reg prometheus.Registerer) *passwordChecks {
	p := &passwordChecks{
		slots: make(chan struct{}, runtime.GOMAXPROCS(0)),
		run: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsdigest_console_password_checks_total",
			Help: "Console passwords hashed to be checked (logins and password changes).",
		}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsdigest_console_password_checks_refused_total",
			Help: "Console password checks refused because the most allowed at once were running.",
		}),
	}
	slots := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "newsdigest_console_password_check_slots",
		Help: "How many console password checks may run at once.",
	}, func() float64 { return float64(cap(p.slots)) })
	if reg != nil {
		reg.MustRegister(p.run, p.refused, slots)
	}
	return p
}

// try runs check if a slot is free and reports whether it ran.
func (p *passwordChecks) try(check func()) bool {
	select {
	case p.slots <- struct{}{}:
	default:
		p.refused.Inc()
		return false
	}
	defer func() { <-p.slots }()
	p.run.Inc()
	check()
	return true
}
