package editions

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"newsdigest/internal/bounce"
	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/mail"
	"newsdigest/internal/render"
)

// DefaultLease is how long a claimed delivery is left to its worker before
// another may take it. The sender renews it while the batch runs, so it
// only needs to outlast a pause, and it is how long the deliveries of a
// killed worker wait before another worker takes them.
const DefaultLease = time.Minute

// Mailer sends mail (a *mail.Pool in production).
type Mailer interface {
	// Send sends one message.
	Send(ctx context.Context, m *mail.Message) error
	// SendSharedAs sends a prepared message to one recipient, with token
	// where its placeholder stood, under the delivery's envelope.
	SendSharedAs(ctx context.Context, s *mail.Shared, to, token string, env mail.Envelope) error
}

// Sender sends batches of an edition's deliveries. Each group's digest is
// rendered once and kept while the edition's stories stay as they are;
// per subscriber only the token changes.
type Sender struct {
	Store    SendStore
	Mailer   Mailer
	Renderer *render.Renderer
	Masthead digest.Masthead
	Taxonomy Taxonomies
	Workers  int // messages in flight at once (SMTP_CONNECTIONS)
	// BounceLimit hard bounces suppress an address (BOUNCE_LIMIT).
	BounceLimit int
	// Lease of claimed deliveries; DefaultLease when zero.
	Lease time.Duration
	// RecordFor bounds how long a batch keeps trying to write its last
	// outcomes while the database does not answer; DefaultRecordFor when
	// zero.
	RecordFor time.Duration
	// Limiter paces sending (SEND_RATE, shared by all workers); nil is
	// unlimited.
	Limiter interface {
		Wait(ctx context.Context) error
	}
	Log *slog.Logger
	// Stamp, if set, makes each message's click stamp (clicks.Links.NewStamp),
	// put where the mail's story links hold clicks.StampPlaceholder.
	Stamp func() string
	// Observe, if set, is told the status of every delivery attempt as it
	// ends (sent, failed, skipped, or pending to try again): the worker
	// counts them for its metrics.
	Observe func(status string)
	// OnWatch, if set, is called after each look a batch in progress
	// takes at its edition and readers (watch.go): tests wait on it.
	OnWatch func()
	// WatchEvery is how often a batch in progress looks at its edition
	// and readers; watchEvery when zero. Tests lengthen it to show that
	// a stop is seen without it.
	WatchEvery time.Duration

	// VERP names each delivery in its envelope sender (BOUNCE_DOMAIN), so
	// that a bounce or complaint that comes back finds it; nil: mail goes
	// with MAIL_FROM's address, and nothing after the send is seen.
	VERP *bounce.VERP

	// pauser pauses the edition when its refusals pass the bounce limit
	// (nil: never).
	pauser *pauser

	// halts are the watches of the batches in progress, by edition, for
	// FollowHalts to wake.
	halts haltWatches

	mu         sync.Mutex
	cache      map[bodyKey]*cachedBody // rendered digests
	cacheBytes int
	editions   map[int64]*editionData
}

// ErrRetry says some deliveries of the batch met a temporary failure and
// were put back; the batch task should run again later.
var ErrRetry = errors.New("some deliveries failed temporarily")

// SendBatch sends the unfinished deliveries with ids in r. With final set
// (the last attempt the queue will make) temporary failures become
// permanent, so that the edition can finish, unless the worker is
// stopping: those stay pending, and the reconciler queues their batch
// again. When the task's context ends, no more is sent: what was claimed
// and not sent is put back.
func (s *Sender) SendBatch(ctx context.Context, editionID int64, r domain.IDRange, final bool) error {
	// What every digest is made from is loaded before anything is claimed,
	// so that a database failing here leaves no claim behind.
	ed, err := s.edition(ctx, editionID)
	if err != nil {
		return err
	}
	claims, err := s.Store.ClaimDeliveries(ctx, editionID, r, s.lease())
	if err != nil {
		return err
	}
	if len(claims) > 0 {
		retry, err := s.send(ctx, ed, claims, final)
		if err != nil {
			return err
		}
		if retry {
			return ErrRetry
		}
	} else if err := s.Store.SettleCancelled(ctx, editionID); err != nil {
		// Nothing to claim: perhaps cancelled, with leases of a dead
		// worker to settle.
		return err
	}
	_, err = s.Store.FinishEditionIfCounted(ctx, editionID)
	return err
}

func (s *Sender) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return DefaultLease
}

// send delivers the claims over Workers connections. A recorder writes
// outcomes a few at a time as they come, and keeps the lease of the rest
// alive, so a crash leaves little sent-but-unrecorded and a slow batch is
// not taken over. It reports whether any delivery was put back to retry.
func (s *Sender) send(ctx context.Context, ed *editionData, claims []domain.ClaimedDelivery, final bool) (retry bool, err error) {
	groups, err := s.groupsFor(ctx, ed, claims)
	if err != nil {
		// Nothing was sent: the claims go back at once, and the task
		// fails, to be tried again.
		ids := make([]int64, len(claims))
		for i, c := range claims {
			ids[i] = c.ID
		}
		return false, errors.Join(err, s.Store.ReleaseClaims(context.WithoutCancel(ctx), ids))
	}
	results := make(chan domain.DeliveryOutcome, recordQueue)
	type recording struct {
		retry bool
		err   error
	}
	watch := s.watch(ctx, ed, claims)
	defer s.unwatch(watch)

	recorded := make(chan recording, 1)
	go func() {
		retry, err := s.record(ctx, watch, claims, results)
		recorded <- recording{retry, err}
	}()

	work := make(chan int)
	var wg sync.WaitGroup
	for range max(1, s.Workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				o := s.attempt(ctx, claims[i], groups, final, watch)
				// With the recorder full (the database not answering) a
				// sender waits for room, but not past the task's end: the
				// outcome is dropped then, and the delivery stays leased
				// until its lease lapses and it is claimed again.
				select {
				case results <- o:
				case <-ctx.Done():
					select {
					case results <- o:
					default:
					}
				}
			}
		}()
	}
	stop := stopOf(ctx)
	next := 0
dispatch:
	for ; next < len(claims); next++ {
		select {
		case work <- next:
		case <-stop:
			break dispatch
		}
	}
	close(work)
	for _, c := range claims[next:] {
		results <- notBegun(c)
	}
	wg.Wait()
	close(results)
	r := <-recorded
	return r.retry, r.err
}

// attempt renders a claim's digest and sends it.
func (s *Sender) attempt(ctx context.Context, c domain.ClaimedDelivery, groups map[int64]domain.DigestGroup, final bool, watch *editionWatch) domain.DeliveryOutcome {
	body, err := s.body(ctx, watch.data(), groups, s.bodyKeyOf(watch.data(), c))
	switch {
	case errors.Is(err, errWithdrawn):
		return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliverySkipped, Reason: ReasonWithdrawn}
	case err != nil:
		// A digest that cannot be rendered is a bug, not the reader's
		// fault: put the delivery back and say so.
		s.Log.Error("render digest", "edition", watch.data().id, "group", c.GroupID, "err", err)
		if final {
			return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryFailed, Failure: domain.FailureTemporary, Error: "render: " + err.Error()}
		}
		return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryPending, Error: "render: " + err.Error()}
	}
	return s.deliver(ctx, c, body, final, watch)
}

func (s *Sender) deliver(ctx context.Context, c domain.ClaimedDelivery, body *cachedBody, final bool, watch *editionWatch) domain.DeliveryOutcome {
	if !c.Active {
		return leftOutcome(c.ID)
	}
	// Checked before the wait for the rate limit (the rest of a cancelled
	// batch is skipped at once) and after it, since the wait may be long.
	if o, halt := watch.halt(c.ID); halt {
		return o
	}
	if s.Limiter != nil {
		if err := s.Limiter.Wait(ctx); err != nil {
			return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryPending, Error: "rate limit: " + err.Error()}
		}
	}
	if o, halt := watch.halt(c.ID); halt {
		return o
	}
	var env mail.Envelope
	if s.VERP != nil {
		env = mail.Envelope{Sender: s.VERP.Address(c.ID), Delivery: s.VERP.Token(c.ID)}
	}
	err := s.sendFitting(ctx, watch.data(), body, c, env)
	if err == nil {
		return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliverySent}
	}
	switch mail.ClassOf(err) {
	case mail.Permanent:
		return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryFailed, Failure: domain.FailurePermanent,
			Error: err.Error(), HardBounce: mail.IsBounce(err)}
	case mail.Uncertain:
		s.Log.Warn("delivery uncertain, not retried", "delivery", c.ID, "err", err)
		return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryFailed, Failure: domain.FailureUncertain,
			Error: "uncertain, not retried: " + err.Error()}
	default:
		if final && !stopping(ctx) {
			return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryFailed, Failure: domain.FailureTemporary,
				Error: "gave up after retries: " + err.Error()}
		}
		return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryPending, Error: err.Error()}
	}
}

// notSentPaused is the error a delivery put back by a pause records: it
// was not tried, and goes out when an editor resumes the edition.
const notSentPaused = "not sent: the edition paused itself"

// pausedOutcome puts a claimed delivery back, untried, when its edition
// paused itself: pending, with no retry of the batch asked for (the
// resume queues the batches again).
func pausedOutcome(id int64) domain.DeliveryOutcome {
	return domain.DeliveryOutcome{ID: id, Status: domain.DeliveryPending, Error: notSentPaused}
}

// leftOutcome is that of a delivery whose reader is no longer active; for
// one a report showed sent meanwhile, recording it changes nothing (only
// deliveries still sending take an outcome).
func leftOutcome(id int64) domain.DeliveryOutcome {
	return domain.DeliveryOutcome{ID: id, Status: domain.DeliverySkipped, Error: "unsubscribed before sending", Reason: ReasonLeft}
}

// ReasonWithdrawn is why a delivery is skipped when every story of its
// digest was hidden after the edition was compiled.
const ReasonWithdrawn = "withdrawn"

// errWithdrawn says a digest has no story left to send.
var errWithdrawn = errors.New("every story of the digest was withdrawn")

// renderGroup renders a group's digest for the readers of key (their
// frequency and day) with at most max stories, and says how many it
// holds.
func (s *Sender) renderGroup(ed *editionData, g domain.DigestGroup, key bodyKey, max int) (*mail.Shared, int, error) {
	sections, err := digest.DecodeSections(g.Sections)
	if err != nil {
		return nil, 0, err
	}
	d := s.Masthead.EmailWithin(digest.Issue{EditionID: ed.id, At: ed.at, Language: g.Language, Sections: sections, Items: ed.items, Tax: ed.tax, Stories: ed.ready, ViewToken: g.ViewToken, Frequency: key.frequency, Day: key.day}, max)
	if len(d.Sections) == 0 {
		return nil, 0, errWithdrawn
	}
	shown := 0
	for _, sec := range d.Sections {
		shown += len(sec.Items)
	}
	m, err := s.Renderer.Digest(d)
	if err != nil {
		return nil, 0, err
	}
	// Only the renderer knows which placeholders are its links' and which
	// came with a story: the offsets say, and only they get the token.
	return mail.Prepare(&mail.Message{
		Subject: m.Subject, HTML: m.HTML, Text: m.Text, Language: g.Language,
		HTMLTokens: m.HTMLTokens, TextTokens: m.TextTokens,
		Headers: s.Masthead.Headers(ed.id, g.Language),
		Stamp:   s.stampPlaceholder(), StampValue: s.Stamp,
	}, render.TokenPlaceholder), shown, nil
}
