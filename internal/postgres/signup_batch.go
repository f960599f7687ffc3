package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"newsdigest/internal/domain"
)

// A crowd signing up costs PostgreSQL one statement and one commit for
// each moment's sign-ups rather than one each: most of what a lone insert
// costs the server is the statement and the commit around it, not the row
// (measured with pgbench on two cores: 0.33 ms of the server's CPU for one
// sign-up alone, 0.08 ms each for eight in one statement). A sign-up that
// finds no statement under way is written at once; those that arrive
// while signupStatements are under way wait for the next, which takes
// them all.
const (
	// signupStatements is how many statements of sign-ups run at once.
	signupStatements = 2
	// maxSignupBatch bounds the sign-ups one statement writes.
	maxSignupBatch = 64
	// signupWriteTimeout bounds one statement: it writes for several
	// requests, so no one request's context may cancel it.
	signupWriteTimeout = 30 * time.Second
)

// signupBatcher gathers the new addresses of sign-ups arriving together.
type signupBatcher struct {
	mu      sync.Mutex
	queue   []*queuedSignUp
	running int // statements under way, at most signupStatements
}

// queuedSignUp is one sign-up waiting for its statement, and then its
// outcome: the new subscriber's id, or inserted false when the address
// was there already (or came twice in one statement) and nothing of it
// was written.
type queuedSignUp struct {
	ctx      context.Context
	s        signUp
	done     chan struct{} // closed once the outcome is set
	id       int64
	inserted bool
	err      error
}

// insert writes s as a new pending subscriber with its consent record,
// committed before it returns, unless its address is there already.
func (b *signupBatcher) insert(ctx context.Context, pool *pgxpool.Pool, s signUp) (id int64, inserted bool, err error) {
	q := &queuedSignUp{ctx: ctx, s: s, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, q)
	lead := b.running < signupStatements
	if lead {
		b.running++
	}
	b.mu.Unlock()
	if lead {
		b.run(pool, q)
	}
	// Not given up on when ctx ends: the statement may already hold the
	// sign-up, and it is bounded by signupWriteTimeout.
	<-q.done
	return q.id, q.inserted, q.err
}

// run writes what is queued, one statement at a time, until own (when
// not nil) is written; then a goroutine of its own carries on with what
// came meanwhile, so that no request waits for the sign-ups of others.
// It holds one of the signupStatements places, and gives it up when
// nothing is left.
func (b *signupBatcher) run(pool *pgxpool.Pool, own *queuedSignUp) {
	for {
		batch := b.take()
		if batch == nil {
			return
		}
		b.write(pool, batch)
		if own != nil && written(own) {
			go b.run(pool, nil)
			return
		}
	}
}

func written(q *queuedSignUp) bool {
	select {
	case <-q.done:
		return true
	default:
		return false
	}
}

// take removes the next statement's sign-ups from the queue; nil, with
// the place given up, when there are none. A sign-up whose request has
// ended by now is not written.
func (b *signupBatcher) take() []*queuedSignUp {
	b.mu.Lock()
	defer b.mu.Unlock()
	var batch []*queuedSignUp
	n := 0
	for ; n < len(b.queue) && len(batch) < maxSignupBatch; n++ {
		q := b.queue[n]
		if err := q.ctx.Err(); err != nil {
			q.err = err
			close(q.done)
			continue
		}
		batch = append(batch, q)
	}
	rest := copy(b.queue, b.queue[n:])
	clear(b.queue[rest:])
	b.queue = b.queue[:rest]
	if len(batch) == 0 {
		b.running--
		return nil
	}
	return batch
}

// write inserts batch in one statement. Should that fail, each is written
// alone, so that one sign-up the database refuses fails no other.
func (b *signupBatcher) write(pool *pgxpool.Pool, batch []*queuedSignUp) {
	ctx, cancel := context.WithTimeout(context.Background(), signupWriteTimeout)
	defer cancel()
	err := insertSignUps(ctx, pool, batch)
	if err != nil && len(batch) > 1 {
		for _, q := range batch {
			q.err = insertSignUps(ctx, pool, []*queuedSignUp{q})
		}
	} else {
		for _, q := range batch {
			q.err = err
		}
	}
	for _, q := range batch {
		close(q.done)
	}
}

// signUpRow is one sign-up as the statement reads it (jsonb_to_recordset:
// one parameter, one prepared statement, whatever the batch's size).
type signUpRow struct {
	N           int       `json:"n"`
	Email       string    `json:"email"`
	Status      string    `json:"status"`
	Countries   []string  `json:"countries"`
	Topics      []string  `json:"topics"`
	Language    string    `json:"language"`
	Mode        string    `json:"mode"`
	All         bool      `json:"all_stories"`
	Token       string    `json:"token"`
	Confirm     string    `json:"confirm"`
	Frequency   *string   `json:"frequency"`
	Timezone    *string   `json:"timezone"`
	Hour        *int      `json:"hour"`
	SendThin    bool      `json:"send_thin"`
	At          time.Time `json:"at"`
	IP          string    `json:"ip"`
	UserAgent   string    `json:"user_agent"`
	FormVersion string    `json:"form_version"`
}

// insertSignUps inserts the batch's addresses that are not there yet,
// each with its consent record, and sets the outcome of every one. Rows
// go in in the order of their addresses, so that two statements holding
// the same addresses wait for each other rather than deadlock.
func insertSignUps(ctx context.Context, pool *pgxpool.Pool, batch []*queuedSignUp) error {
	next, err := domain.NextSubscriber("", domain.SubscriberSignUp)
	if err != nil {
		return err
	}
	rows := make([]signUpRow, len(batch))
	for i, q := range batch {
		s, f, c := q.s, q.s.filter, q.s.consent
		rows[i] = signUpRow{N: i, Email: s.email, Status: string(next), Countries: nonNil(f.Countries),
			Topics: nonNil(f.Topics), Language: f.Language, Mode: f.Mode, All: f.All,
			Token: s.tokens.Token, Confirm: s.tokens.Confirm,
			// PostgreSQL keeps microseconds; cut here, it keeps the same
			// instant the other statements' binary times do.
			At: c.At.Truncate(time.Microsecond), IP: c.IP, UserAgent: truncate(c.UserAgent, 512), FormVersion: c.FormVersion}
		if sc := s.schedule; sc != nil {
			rows[i].Frequency, rows[i].Timezone, rows[i].Hour, rows[i].SendThin = &sc.Frequency, &sc.Timezone, &sc.Hour, sc.SendThin
		}
	}
	doc, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("insert subscribers: %w", err)
	}
	res, err := pool.Query(ctx, `
		WITH v AS (
		    SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(n int, email text, status text, countries text[], topics text[],
		        language text, mode text, all_stories bool, token text, confirm text, frequency text, timezone text, hour smallint,
		        send_thin bool, at timestamptz, ip text, user_agent text, form_version text)
		), s AS (
		    INSERT INTO subscribers (email, status, countries, topics, language, mode, token, confirm_token,
		                             confirm_expires_at, confirm_due_at, all_stories, frequency, timezone, hour, send_thin)
		    SELECT email, status, countries, topics, language, mode, token, confirm,
		           now() + $2::interval, now(), all_stories, frequency, timezone, hour, send_thin
		    FROM v ORDER BY lower(email), n
		    ON CONFLICT DO NOTHING
		    RETURNING id, confirm_token
		), c AS (
		    INSERT INTO consents (subscriber_id, action, at, ip, user_agent, form_version)
		    SELECT s.id, 'subscribe', v.at, v.ip, v.user_agent, v.form_version FROM s JOIN v ON v.confirm = s.confirm_token
		)
		SELECT v.n, s.id FROM s JOIN v ON v.confirm = s.confirm_token`, doc, domain.ConfirmTTL)
	if err != nil {
		return fmt.Errorf("insert subscribers: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var n int
		var id int64
		if err := res.Scan(&n, &id); err != nil {
			return fmt.Errorf("insert subscribers: %w", err)
		}
		if n >= 0 && n < len(batch) {
			batch[n].id, batch[n].inserted = id, true
		}
	}
	if err := res.Err(); err != nil {
		for _, q := range batch {
			q.id, q.inserted = 0, false
		}
		return fmt.Errorf("insert subscribers: %w", err)
	}
	return nil
}
