package metrics

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/domain"
)

// scrapeTimeout bounds what a scrape waits for Redis or PostgreSQL: a
// slow answer leaves the series out of that scrape rather than hang it.
const scrapeTimeout = 3 * time.Second

// QueueInfo is what queue depth needs of an *asynq.Inspector: the count
// of tasks in each state of one queue.
type QueueInfo func(queue string) (map[string]int, error)

// QueueStates are the states newsdigest_queue_tasks reports, always all
// of them, at zero for a queue Redis does not hold yet.
var QueueStates = []string{"pending", "active", "scheduled", "retry", "archived"}

// queueCollector reads the queues' depth from Redis when scraped.
type queueCollector struct {
	mu     sync.Mutex
	queues []string
	info   QueueInfo
	desc   *prometheus.Desc
}

// RegisterQueueDepth makes reg report newsdigest_queue_tasks{queue,state}
// for each of queues, read through info at each scrape.
func RegisterQueueDepth(reg prometheus.Registerer, queues []string, info QueueInfo) error {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	c := &queueCollector{queues: queues, info: info, desc: prometheus.NewDesc(
		"newsdigest_queue_tasks", "Tasks in each task queue, by state (pending, active, scheduled, retry, archived).",
		[]string{"queue", "state"}, nil)}
	existing, err := registerOnce(reg, c)
	if old, ok := existing.(*queueCollector); ok {
		old.mu.Lock()
		old.queues, old.info = queues, info
		old.mu.Unlock()
	}
	return err
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	queues, info := c.queues, c.info
	c.mu.Unlock()
	for _, q := range queues {
		counts, err := info(q)
		if err != nil {
			// Redis unreachable: no figure rather than a false zero, and
			// the scrape's other figures still served.
			continue
		}
		for _, st := range QueueStates {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[st]), q, st)
		}
	}
}

// Editions lists the latest editions, newest first (editions.Service.List).
type Editions func(ctx context.Context, limit int) ([]domain.Edition, error)

// progressCollector reads the editions' progress from PostgreSQL when
// scraped.
type progressCollector struct {
	mu    sync.Mutex
	list  Editions
	desc  *prometheus.Desc
	state *prometheus.Desc
}

// progressKeep is how long a finished edition's figures are still
// reported, so that a dashboard shows how the last send ended.
const progressKeep = time.Hour

// RegisterEditionProgress makes reg report, for every edition list gives
// (the latest and every one not finished, editions.Service.Watched) not
// finished or finished within the last hour,
// newsdigest_edition_deliveries{edition,state} (state: total, sent,
// failed, skipped) and newsdigest_edition_status{edition,status} (1 for
// its status).
func RegisterEditionProgress(reg prometheus.Registerer, list Editions) error {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	c := &progressCollector{list: list,
		desc: prometheus.NewDesc("newsdigest_edition_deliveries",
			"Deliveries of recent editions, by edition and state (total, sent, failed, skipped).", []string{"edition", "state"}, nil),
		state: prometheus.NewDesc("newsdigest_edition_status",
			"1 for the status each recent edition is in.", []string{"edition", "status"}, nil),
	}
	existing, err := registerOnce(reg, c)
	if old, ok := existing.(*progressCollector); ok {
		old.mu.Lock()
		old.list = list
		old.mu.Unlock()
	}
	return err
}

func (c *progressCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc; ch <- c.state }

func (c *progressCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	read := c.list
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	list, err := read(ctx, 20)
	if err != nil {
		return // PostgreSQL unreachable: no figures in this scrape
	}
	for _, e := range list {
		if e.FinishedAt != nil && time.Since(*e.FinishedAt) > progressKeep {
			continue
		}
		id := strconv.FormatInt(e.ID, 10)
		for state, n := range map[string]int{"total": e.Total, "sent": e.Sent, "failed": e.Failed, "skipped": e.Skipped} {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), id, state)
		}
		ch <- prometheus.MustNewConstMetric(c.state, prometheus.GaugeValue, 1, id, string(e.Status))
	}
}

// registerOnce registers c; when a collector with the same descriptions
// is registered already (a second worker in one test process), it
// returns that one, for the caller to point at its newer source.
func registerOnce(reg prometheus.Registerer, c prometheus.Collector) (existing prometheus.Collector, err error) {
	err = reg.Register(c)
	if taken, ok := err.(prometheus.AlreadyRegisteredError); ok {
		return taken.ExistingCollector, nil
	}
	return nil, err
}
