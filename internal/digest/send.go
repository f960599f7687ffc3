package digest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/mail"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// Lease is how long a claimed delivery is left to its worker before
// another may take it; longer than a batch takes to send.
const Lease = 10 * time.Minute

// Mailer sends one message (a *mail.Pool in production).
type Mailer interface {
	Send(ctx context.Context, m *mail.Message) error
}

// Links builds the per-subscriber URLs and list headers.
type Links struct {
	BaseURL       string // no trailing slash
	ListName      string
	ListID        string // e.g. "News Digest <digest.news.example.org>"
	PostalAddress string
}

// Sender sends batches of an edition's deliveries. Each group's digest is
// rendered once and kept; per subscriber only the token changes.
type Sender struct {
	DB       *postgres.DB
	Mailer   Mailer
	Renderer *render.Renderer
	Links    Links
	Workers  int // messages in flight at once (SMTP_CONNECTIONS)
	// BounceLimit hard bounces suppress an address (BOUNCE_LIMIT).
	BounceLimit int
	Log         *slog.Logger

	mu    sync.Mutex
	cache map[int64]renderedBody // group id → rendered digest
}

// maxCachedGroups bounds the rendered-digest cache.
const maxCachedGroups = 5000

// ErrRetry says some deliveries of the batch met a temporary failure and
// were put back; the batch task should run again later.
var ErrRetry = errors.New("some deliveries failed temporarily")

// SendBatch sends the unfinished deliveries with ids in r. With final set
// (the last attempt the queue will make) temporary failures become
// permanent, so that the edition can finish.
func (s *Sender) SendBatch(ctx context.Context, editionID int64, r postgres.IDRange, final bool) error {
	claims, err := s.DB.ClaimDeliveries(ctx, editionID, r, Lease)
	if err != nil {
		return err
	}
	if len(claims) > 0 {
		outcomes, err := s.send(ctx, editionID, claims, final)
		if err != nil {
			return err
		}
		// The outcomes are written even if the task's context ended: the
		// messages went out, and their record must not be lost.
		if err := s.DB.RecordOutcomes(context.WithoutCancel(ctx), outcomes, s.BounceLimit); err != nil {
			return err
		}
		for _, o := range outcomes {
			if o.Status == domain.DeliveryPending {
				return ErrRetry
			}
		}
	}
	_, err = s.DB.FinishEditionIfComplete(ctx, editionID)
	return err
}

func (s *Sender) send(ctx context.Context, editionID int64, claims []postgres.Claim, final bool) ([]postgres.Outcome, error) {
	bodies, err := s.bodies(ctx, claims)
	if err != nil {
		return nil, err
	}
	outcomes := make([]postgres.Outcome, len(claims))
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(1, s.Workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				outcomes[i] = s.deliver(ctx, editionID, claims[i], bodies[claims[i].GroupID], final)
			}
		}()
	}
	for i := range claims {
		work <- i
	}
	close(work)
	wg.Wait()
	return outcomes, nil
}

func (s *Sender) deliver(ctx context.Context, editionID int64, c postgres.Claim, body renderedBody, final bool) postgres.Outcome {
	if !c.Active {
		return postgres.Outcome{ID: c.ID, Status: domain.DeliverySkipped, Error: "unsubscribed before sending"}
	}
	m := body.WithToken(c.Token)
	unsubscribe := s.Links.BaseURL + "/unsubscribe/" + c.Token
	err := s.Mailer.Send(ctx, &mail.Message{
		To: c.Email, Subject: m.Subject, HTML: m.HTML, Text: m.Text, Language: body.Language,
		Headers: map[string]string{
			"List-Id":               s.Links.ListID,
			"List-Unsubscribe":      "<" + unsubscribe + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"X-Newsdigest-Edition":  fmt.Sprint(editionID),
		},
	})
	if err == nil {
		return postgres.Outcome{ID: c.ID, Status: domain.DeliverySent}
	}
	switch mail.ClassOf(err) {
	case mail.Permanent:
		return postgres.Outcome{ID: c.ID, Status: domain.DeliveryFailed, Error: err.Error(), HardBounce: true}
	case mail.Uncertain:
		s.Log.Warn("delivery uncertain, not retried", "delivery", c.ID, "err", err)
		return postgres.Outcome{ID: c.ID, Status: domain.DeliveryFailed, Error: "uncertain, not retried: " + err.Error()}
	default:
		if final {
			return postgres.Outcome{ID: c.ID, Status: domain.DeliveryFailed, Error: "gave up after retries: " + err.Error()}
		}
		return postgres.Outcome{ID: c.ID, Status: domain.DeliveryPending, Error: err.Error()}
	}
}

// renderedBody is a group's digest and its language.
type renderedBody struct {
	render.Message
	Language string
}

// bodies renders (or takes from the cache) the digest of every group the
// claims need.
func (s *Sender) bodies(ctx context.Context, claims []postgres.Claim) (map[int64]renderedBody, error) {
	out := map[int64]renderedBody{}
	var missing []int64
	s.mu.Lock()
	for _, c := range claims {
		if _, seen := out[c.GroupID]; seen {
			continue
		}
		if m, ok := s.cache[c.GroupID]; ok {
			out[c.GroupID] = m
		} else if !containsID(missing, c.GroupID) {
			missing = append(missing, c.GroupID)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	groups, err := s.DB.Groups(ctx, missing)
	if err != nil {
		return nil, err
	}
	tax, err := s.DB.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		m, err := s.renderGroup(ctx, tax, g)
		if err != nil {
			return nil, fmt.Errorf("render group %d: %w", g.ID, err)
		}
		out[g.ID] = m
	}
	s.mu.Lock()
	if s.cache == nil || len(s.cache) > maxCachedGroups {
		s.cache = map[int64]renderedBody{}
	}
	for _, id := range missing {
		s.cache[id] = out[id]
	}
	s.mu.Unlock()
	return out, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (s *Sender) renderGroup(ctx context.Context, tax *taxonomy.Taxonomy, g postgres.Group) (renderedBody, error) {
	var sections []Section
	if err := json.Unmarshal(g.Sections, &sections); err != nil {
		return renderedBody{}, err
	}
	var ids []int64
	for _, sec := range sections {
		ids = append(ids, sec.Items...)
	}
	items, err := s.DB.ItemsByID(ctx, ids)
	if err != nil {
		return renderedBody{}, err
	}
	d := BuildDigest(tax, g.Language, sections, items)
	d.ListName = s.Links.ListName
	d.EditionDate = time.Now().UTC().Format(domain.DateLayout)
	d.UnsubscribeURL = s.Links.BaseURL + "/unsubscribe/" + render.TokenPlaceholder
	d.PreferencesURL = s.Links.BaseURL + "/preferences/" + render.TokenPlaceholder
	d.PostalAddress = s.Links.PostalAddress
	m, err := s.Renderer.Digest(d)
	return renderedBody{Message: m, Language: g.Language}, err
}
