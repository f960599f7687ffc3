package subscribers

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/token"
)

// Query is a filter of the subscriber list as a request gives it: query
// parameters of the API, fields of the console's form.
type Query struct {
	Status, Country, Topic, Language, Address string
}

// Filter checks a query against the statuses, the taxonomy and the
// languages, and returns the filter it asks for.
func (s *Service) Filter(ctx context.Context, q Query) (domain.SubscriberFilter, error) {
	f := domain.SubscriberFilter{
		Status:   strings.ToLower(strings.TrimSpace(q.Status)),
		Country:  strings.ToUpper(strings.TrimSpace(q.Country)),
		Topic:    strings.ToLower(strings.TrimSpace(q.Topic)),
		Language: strings.ToLower(strings.TrimSpace(q.Language)),
		Address:  strings.TrimSpace(q.Address),
	}
	if f.Status != "" && !slices.Contains(domain.ListStatuses, f.Status) {
		return f, errs.New(errs.Malformed, "status: want one of %s", strings.Join(domain.ListStatuses, ", "))
	}
	if f.Language != "" && !domain.IsLanguage(f.Language) {
		return f, errs.New(errs.Malformed, "language: want one of %s", strings.Join(domain.Languages, ", "))
	}
	if len(f.Address) > 254 {
		return f, errs.New(errs.Malformed, "address: longer than an address can be")
	}
	if f.Country == "" && f.Topic == "" {
		return f, nil
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return f, err
	}
	if f.Country != "" && !tax.HasCountry(f.Country) {
		return f, errs.New(errs.Malformed, "country: unknown country code %q", f.Country)
	}
	if f.Topic != "" && !tax.HasTopic(f.Topic) {
		return f, errs.New(errs.Malformed, "topic: unknown topic %q", f.Topic)
	}
	return f, nil
}

// ExportHeader is the first line of a subscriber export; the importer
// reads the file back.
var ExportHeader = []string{"email", "status", "countries", "topics", "language", "mode", "created_at"}

// List returns one page of the subscribers f selects, in id order.
func (s *Service) List(ctx context.Context, f domain.SubscriberFilter) ([]domain.Subscriber, error) {
	return s.store.Subscribers(ctx, f)
}

// Counts counts the subscribers f selects by status, whatever f.Status
// says, so a list can show how its filters split.
func (s *Service) Counts(ctx context.Context, f domain.SubscriberFilter) (map[string]int, error) {
	return s.store.SubscriberCounts(ctx, f)
}

// Record returns one subscriber with their dates.
func (s *Service) Record(ctx context.Context, id int64) (domain.SubscriberRecord, error) {
	return s.store.SubscriberRecord(ctx, id)
}

// ExportCSV writes every subscriber f selects as CSV. start is
// called once, before the first byte, and returns where to write: with
// the first row, so that a database failing at once can still be
// answered with an error of its own. started tells the caller whether
// anything was written when err is not nil (half a file must then be
// broken off, not passed off as whole).
//
// A list of people's addresses leaving the desk is audited for actor,
// with how many rows went out, whether or not the download finished.
func (s *Service) ExportCSV(ctx context.Context, actor string, f domain.SubscriberFilter, start func() io.Writer) (started bool, err error) {
	var w *csv.Writer
	rows := 0
	defer func() {
		switch {
		case !started: // nothing left the desk
		case err != nil:
			s.audit.Audit(ctx, actor, "subscriber.export", "subscriber", nil, "exported %d, then broken off", rows)
		default:
			s.audit.Audit(ctx, actor, "subscriber.export", "subscriber", nil, "exported %d", rows)
		}
	}()
	begin := func() {
		started = true
		w = csv.NewWriter(start())
		w.Write(ExportHeader)
	}
	err = s.store.EachSubscriber(ctx, f, func(sub domain.Subscriber) error {
		if !started {
			begin()
		}
		writeCSVRow(w, sub.Email, string(sub.Status), csvCountries(sub.Filter), strings.Join(sub.Topics, ";"),
			sub.Language, sub.Mode, sub.CreatedAt.UTC().Format(time.RFC3339))
		rows++
		return w.Error()
	})
	if err != nil {
		return started, err
	}
	if !started {
		begin() // no one matched: a header alone
	}
	w.Flush()
	return true, w.Error()
}

// writeCSVRow writes one exported row with every cell that a spreadsheet
// would run as a formula escaped (EscapeCSVCell): addresses
// stored before such were refused may begin with "=". The importer
// undoes the escape.
func writeCSVRow(w *csv.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = EscapeCSVCell(c)
	}
	w.Write(cells)
}

// Page is one person as the desk shows them.
type Page struct {
	Record     domain.SubscriberRecord
	Consents   []domain.ConsentEntry
	Deliveries []domain.SubscriberDelivery
}

// maxSubscriberDeliveries bounds the deliveries shown with a person.
const maxSubscriberDeliveries = 50

// Person returns one person with their consent record and latest
// deliveries.
func (s *Service) Person(ctx context.Context, id int64) (Page, error) {
	var p Page
	var err error
	if p.Record, err = s.store.SubscriberRecord(ctx, id); err != nil {
		return p, err
	}
	if p.Consents, err = s.store.SubscriberConsents(ctx, id); err != nil {
		return p, err
	}
	p.Deliveries, err = s.store.SubscriberDeliveries(ctx, id, maxSubscriberDeliveries)
	return p, err
}

// Act unsubscribes, suppresses or erases a person (domain.ActionUnsubscribe,
// ActionSuppress, ActionErase: the lifecycle's events of those names) for
// actor, and audits it as subscriber.<action>. The audit names the person
// by id alone: an erased address must not survive in the log.
func (s *Service) Act(ctx context.Context, actor string, id int64, action string) error {
	var err error
	switch action {
	case domain.ActionUnsubscribe, domain.ActionSuppress:
		_, err = s.store.StopSubscriber(ctx, id, action, actor)
	case domain.ActionErase:
		err = s.store.EraseSubscriber(ctx, id, actor, token.New())
	default:
		return errs.New(errs.NotFound, "no such action on a subscriber: %q", action)
	}
	if err != nil {
		return err
	}
	s.audit.Audit(ctx, actor, "subscriber."+action, "subscriber", id, "")
	return nil
}

// csvCountries is the countries cell of a subscriber: the codes split by
// ";", or domain.AllCountries ("*") for someone taking all stories, which
// the import reads back as such.
func csvCountries(f domain.Filter) string {
	if f.All {
		return domain.AllCountries
	}
	return strings.Join(f.Countries, ";")
}
