// Package metrics names what newsdigest counts for Prometheus, beyond
// the web's HTTP requests (package web): background tasks, SMTP replies,
// bounces and complaints, feed polls, and, read when scraped, the queues'
// depth and the editions' progress. deploy/grafana and deploy/prometheus
// use exactly these names; a test in internal/ops keeps them in step.
//
// Every label value comes from a fixed set, because each distinct value
// is a series kept for the life of the process.
package metrics

import (
	"errors"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Task outcomes (newsdigest_tasks_total's outcome label).
const (
	TaskOK      = "ok"      // the task did its work
	TaskRetry   = "retry"   // it failed and the queue will run it again
	TaskFailed  = "failed"  // it failed for good (no retry helps, or the last one)
	TaskStopped = "stopped" // the worker was stopping; it runs again, not counted as a failure
)

// SMTP reply classes (newsdigest_smtp_replies_total's class label).
const (
	Reply2xx     = "2xx"
	Reply4xx     = "4xx"
	Reply5xx     = "5xx"
	ReplyNetwork = "network" // no reply: the relay could not be reached or the connection failed
)

// Bounce kinds (newsdigest_bounces_total's kind label).
const (
	BounceHard    = "hard"    // the address is gone: suppressed at once
	BounceSoft    = "soft"    // a temporary refusal, counted toward BOUNCE_LIMIT
	BounceBlocked = "blocked" // the sender or the message refused, not the address
)

// Feed poll results (newsdigest_feed_polls_total's result label).
const (
	PollOK    = "ok"    // fetched (or not modified since) and imported
	PollError = "error" // the source failed; its page in the console says why
)

// Set is the counters one process updates. Its methods may be called on
// a nil *Set, which counts nothing (a service built without metrics).
type Set struct {
	tasks       *prometheus.CounterVec
	taskSeconds *prometheus.HistogramVec
	smtpReplies *prometheus.CounterVec
	bounces     *prometheus.CounterVec
	complaints  prometheus.Counter
	feedPolls   *prometheus.CounterVec
}

var (
	setsMu sync.Mutex
	sets   = map[prometheus.Registerer]*Set{}
)

// For returns the Set registered with reg (nil: the default registry,
// which the binaries serve on METRICS_ADDR), registering it the first
// time: every caller in a process with the same registry counts into the
// same series.
func For(reg prometheus.Registerer) *Set {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	setsMu.Lock()
	defer setsMu.Unlock()
	if s := sets[reg]; s != nil {
		return s
	}
	s := &Set{
		tasks: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdigest_tasks_total", Help: "Background tasks run, by type and outcome (ok, retry, failed, stopped).",
		}, []string{"type", "outcome"})),
		taskSeconds: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsdigest_task_seconds", Help: "How long background tasks ran, by type.",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 900},
		}, []string{"type"})),
		smtpReplies: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdigest_smtp_replies_total", Help: "Replies of the SMTP relay to messages handed to it, by class (2xx, 4xx, 5xx, network).",
		}, []string{"class"})),
		bounces: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdigest_bounces_total", Help: "Bounces reported after the send (DSNs, relays' webhooks), by kind (hard, soft).",
		}, []string{"kind"})),
		complaints: register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsdigest_complaints_total", Help: "Spam complaints reported (ARF feedback loops, relays' webhooks).",
		})),
		feedPolls: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdigest_feed_polls_total", Help: "Polls of sources, by result (ok, error).",
		}, []string{"result"})),
	}
	// Every fixed label value shows from the start, at zero, so that a
	// rate or an alert has a series before the first event.
	for _, c := range []string{Reply2xx, Reply4xx, Reply5xx, ReplyNetwork} {
		s.smtpReplies.WithLabelValues(c)
	}
	for _, k := range []string{BounceHard, BounceSoft, BounceBlocked} {
		s.bounces.WithLabelValues(k)
	}
	for _, r := range []string{PollOK, PollError} {
		s.feedPolls.WithLabelValues(r)
	}
	sets[reg] = s
	return s
}

// register registers c with reg, or returns the collector of the same
// description registered before (by another Set of the same registry).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var taken prometheus.AlreadyRegisteredError
		if errors.As(err, &taken) {
			if existing, ok := taken.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err) // a name used twice with different labels: a bug
	}
	return c
}

// Task counts one run of a task of type typ, ended with outcome.
func (s *Set) Task(typ, outcome string, d time.Duration) {
	if s == nil {
		return
	}
	s.tasks.WithLabelValues(typ, outcome).Inc()
	s.taskSeconds.WithLabelValues(typ).Observe(d.Seconds())
}

// TaskTypes makes the series of every task type show at zero.
func (s *Set) TaskTypes(types ...string) {
	if s == nil {
		return
	}
	for _, t := range types {
		for _, o := range []string{TaskOK, TaskRetry, TaskFailed, TaskStopped} {
			s.tasks.WithLabelValues(t, o)
		}
		s.taskSeconds.WithLabelValues(t)
	}
}

// SMTPReply counts one reply of the relay, of class (Reply2xx…).
func (s *Set) SMTPReply(class string) {
	if s != nil {
		s.smtpReplies.WithLabelValues(class).Inc()
	}
}

// Bounce counts one bounce reported after the send, of kind BounceHard,
// BounceSoft or BounceBlocked. The bounce recorder calls it once per
// report it records.
func (s *Set) Bounce(kind string) {
	if s == nil {
		return
	}
	if kind != BounceHard && kind != BounceBlocked {
		kind = BounceSoft
	}
	s.bounces.WithLabelValues(kind).Inc()
}

// Complaint counts one spam complaint. The bounce recorder calls it once
// per complaint it records.
func (s *Set) Complaint() {
	if s != nil {
		s.complaints.Inc()
	}
}

// FeedPoll counts one poll of a source, with result PollOK or PollError.
func (s *Set) FeedPoll(result string) {
	if s != nil {
		s.feedPolls.WithLabelValues(result).Inc()
	}
}
