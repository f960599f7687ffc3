package faults

import (
	"hash/fnv"
	"maps"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/domain"
)

// subscribers is each test's edition. A test takes 15 to 20 s alone
// under the race detector, and can pass 30 s beside the rest of the suite
// on two cores (2,000 digests rendered, sent through a relay that fails
// some, retried and recorded): an edition this size keeps sending long
// enough for the faults to land mid-edition, the moment these tests are
// about, and makes hundreds of failures, not a handful.
const subscribers = 2000

// flaky decides at random, under a lock (the server runs sessions
// concurrently), with a fixed seed so a failure can be replayed.
type flaky struct {
	mu  sync.Mutex
	rng *rand.Rand
}

func newFlaky() *flaky { return &flaky{rng: rand.New(rand.NewSource(42))} }

func (f *flaky) chance(p float64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rng.Float64() < p
}

// TestRelayRefusesTemporarily: 421 and 451 replies to 30% of messages (after
// the message is sent, the worst moment) are retried until every message is
// taken, and none is kept twice.
func TestRelayRefusesTemporarily(t *testing.T) {
	t.Parallel()
	r := newRig(t, subscribers)
	f := newFlaky()
	r.smtp.AfterData = func([]string) error {
		switch {
		case f.chance(0.15):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		case f.chance(0.18): // 0.15 + 0.85*0.18 ≈ 0.30
			return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "too busy"}
		}
		return nil
	}
	r.startWorker()
	id := r.startEdition()
	r.check(id, nil, nil)
}

// TestRelayRefusesSomeAddresses: 550 for some addresses gives them a failed
// delivery holding the reply, and everyone else their digest.
func TestRelayRefusesSomeAddresses(t *testing.T) {
	t.Parallel()
	r := newRig(t, subscribers)
	refused := func(addr string) bool {
		h := fnv.New32a()
		h.Write([]byte(strings.ToLower(addr)))
		return h.Sum32()%10 == 0
	}
	r.smtp.Reject = func(rcpt string) error {
		if refused(rcpt) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
		}
		return nil
	}
	r.startWorker()
	id := r.startEdition()
	r.check(id, refused, nil)
}

// TestRelayDropsMidData: a relay that closes the connection in the middle
// of a message has not taken it; the message is sent again on a new
// connection.
func TestRelayDropsMidData(t *testing.T) {
	t.Parallel()
	r := newRig(t, subscribers)
	f := newFlaky()
	r.smtp.DropMidData = func([]string) bool { return f.chance(0.1) }
	r.startWorker()
	id := r.startEdition()
	r.check(id, nil, nil)
}

// TestRedisWipedMidEdition: Redis loses every task while the edition sends;
// the reconciler re-queues from what Postgres says is unfinished.
func TestRedisWipedMidEdition(t *testing.T) {
	t.Parallel()
	r := newRig(t, subscribers)
	r.startWorker()
	id := r.startEdition()
	r.waitFor(id, time.Minute, "some sent", func(e domain.Edition) bool { return e.Sent >= subscribers/4 })
	// Tasks running at the wipe finish their batch; the rest come back
	// through the reconciler. Only what was claimed around the wipe may
	// be sent twice.
	inFlight := r.unrecorded(id)
	wipeRedis(t, r.redisURL)
	maps.Copy(inFlight, r.unrecorded(id))
	e, err := r.db.Edition(r.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != domain.EditionSending || e.Sent+e.Failed+e.Skipped >= e.Total {
		t.Fatalf("edition %d was not unfinished at the wipe (%+v): send more or wipe sooner", id, e)
	}
	r.check(id, nil, inFlight)
}
