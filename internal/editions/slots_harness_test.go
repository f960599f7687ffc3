package editions_test

import (
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/render"
	"newsdigest/internal/staff"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/token"
)

// slots is the fixture with the editions service the worker runs, whose
// due check a test drives at the times it chooses.
type slots struct {
	*fixture
	svc *editions.Service
}

func newSlots(t *testing.T, min int) *slots {
	t.Helper()
	f := newFixture(t)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": f.dbURL, "SECRET_KEY": "9b41e07c2fd35a86e1c47b20d9f3a65e"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	svc := editions.New(editions.Deps{Config: cfg, Store: f.db, Queue: f.queue, Inspector: f.inspect,
		Taxonomy: &taxonomy.Cache{Source: f.db}, Renderer: r, Audit: staff.New(f.db, log), Log: log,
		Mailer: f.sender.Mailer})
	set := domain.DefaultScheduleSettings
	set.MinStories = min
	if err := svc.SaveScheduleSettings(f.ctx, "editor@example.org", set); err != nil {
		t.Fatal(err)
	}
	return &slots{fixture: f, svc: svc}
}

// reader adds an active reader with their own schedule.
func (s *slots) reader(email, frequency, zone string, hour int, thin bool, countries ...string) {
	s.t.Helper()
	_, err := s.db.Pool().Exec(s.ctx, `INSERT INTO subscribers (email, status, countries, token, frequency, timezone, hour, send_thin, confirmed_at)
		VALUES ($1, 'active', $2, $3, $4, $5, $6, $7, '2026-01-01T00:00:00Z')`, email, countries, token.New(), frequency, zone, hour, thin)
	if err != nil {
		s.t.Fatal(err)
	}
}

// story adds a story of today.
func (s *slots) story(title string, countries ...string) {
	s.t.Helper()
	now := time.Now().UTC()
	s.item(domain.NewDate(now.Year(), now.Month(), now.Day()), title, countries...)
}

// due runs the due check at now and, as the worker would, compiles the
// slot it made and sends its batches; it returns the slot (zero if none
// was made).
func (s *slots) due(now string) domain.Edition {
	s.t.Helper()
	at, err := time.Parse(time.RFC3339, now)
	if err != nil {
		s.t.Fatal(err)
	}
	before := s.latestSlot()
	if err := s.svc.RunDue(s.ctx, at); err != nil {
		s.t.Fatal(err)
	}
	e := s.latestSlot()
	if e.ID == 0 || e.ID == before.ID {
		return domain.Edition{}
	}
	s.compileAndSend(e.ID)
	return s.edition(e.ID)
}

// compiled runs the due check at now, as the worker would, and compiles
// the slot it made, sending nothing: that slot.
func (s *slots) compiled(now string) domain.Edition {
	s.t.Helper()
	if err := s.svc.RunDue(s.ctx, mustTime(s.t, now)); err != nil {
		s.t.Fatal(err)
	}
	slot := s.latestSlot()
	if err := s.svc.Compile(s.ctx, slot.ID, false); err != nil {
		s.t.Fatal(err)
	}
	return slot
}

func (s *slots) compileAndSend(id int64) {
	s.t.Helper()
	if err := s.svc.Compile(s.ctx, id, false); err != nil {
		s.t.Fatal(err)
	}
	s.sendQueued(id)
}

func (s *slots) sendQueued(id int64) {
	s.t.Helper()
	pending, err := s.inspect.ListPendingTasks(tasks.QueueDefault, asynq.PageSize(1000))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, ti := range pending {
		if ti.Type != tasks.TypeSendBatch {
			continue
		}
		var p tasks.SendBatch
		if err := tasks.Decode(asynq.NewTask(ti.Type, ti.Payload), &p); err != nil {
			s.t.Fatal(err)
		}
		if p.EditionID != id {
			continue
		}
		if err := s.svc.SendBatch(s.ctx, p.EditionID, domain.IDRange{First: p.First, Last: p.Last}, false); err != nil {
			s.t.Fatal(err)
		}
	}
}

func (s *slots) latestSlot() domain.Edition {
	s.t.Helper()
	l, err := s.svc.Slots(s.ctx, 1)
	if err != nil {
		s.t.Fatal(err)
	}
	if len(l) == 0 {
		return domain.Edition{}
	}
	return l[0]
}

// nextDue is when a reader's next digest is due, in UTC.
func (s *slots) nextDue(email string) string {
	s.t.Helper()
	var at *time.Time
	if err := s.db.Pool().QueryRow(s.ctx, `SELECT next_due_at FROM subscribers WHERE email = $1`, email).Scan(&at); err != nil {
		s.t.Fatal(err)
	}
	if at == nil {
		return ""
	}
	return at.UTC().Format(time.RFC3339)
}

// readersOf lists the addresses a slot serves.
func (s *slots) readersOf(id int64) []string {
	s.t.Helper()
	rows, err := s.db.Pool().Query(s.ctx, `SELECT s.email FROM slot_readers r JOIN subscribers s ON s.id = r.subscriber_id
		WHERE r.edition_id = $1 ORDER BY s.email`, id)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// got is which of all the last message to addr holds, joined; "" when
// it has had count messages or fewer (no new one).
func (s *slots) got(addr string, count int, all ...string) string {
	s.t.Helper()
	if n := len(s.smtp.To(addr)); n <= count {
		return ""
	}
	got := s.titles(addr, all...)
	slices.Sort(got)
	return strings.Join(got, ",")
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// domain0 is the desk's edition of new stories.
func domain0() domain.NewEdition { return domain.NewEdition{} }

func editionsInput(freq, zone string, hour int) editions.ScheduleInput {
	return editions.ScheduleInput{Frequency: &freq, Timezone: &zone, Hour: &hour}
}
