package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/subscription"
	"newsdigest/internal/token"
)

// SubscriberQuery is a filter of the subscriber list as a request gives
// it: query parameters of the API, fields of the console's form.
type SubscriberQuery struct {
	Status, Country, Topic, Language, Address string
}

// SubscriberFilter checks a query against the statuses, the taxonomy and
// the languages, and returns the filter it asks for.
func (d *Desk) SubscriberFilter(ctx context.Context, q SubscriberQuery) (domain.SubscriberFilter, error) {
	f := domain.SubscriberFilter{
		Status:   strings.ToLower(strings.TrimSpace(q.Status)),
		Country:  strings.ToUpper(strings.TrimSpace(q.Country)),
		Topic:    strings.ToLower(strings.TrimSpace(q.Topic)),
		Language: strings.ToLower(strings.TrimSpace(q.Language)),
		Address:  strings.TrimSpace(q.Address),
	}
	if f.Status != "" && !domain.IsStatus(f.Status) {
		return f, errs.New(errs.Malformed, "status: want one of %s", strings.Join(domain.Statuses, ", "))
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
	tax, err := d.Taxonomy(ctx)
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

// ExportSubscribers writes every subscriber f selects as CSV. start is
// called once, before the first byte, and returns where to write: with
// the first row, so that a database failing at once can still be
// answered with an error of its own. started tells the caller whether
// anything was written when err is not nil (half a file must then be
// broken off, not passed off as whole).
func (d *Desk) ExportSubscribers(ctx context.Context, f domain.SubscriberFilter, start func() io.Writer) (started bool, err error) {
	var w *csv.Writer
	begin := func() {
		started = true
		w = csv.NewWriter(start())
		w.Write(ExportHeader)
	}
	err = d.DB.EachSubscriber(ctx, f, func(sub domain.Subscriber) error {
		if !started {
			begin()
		}
		writeCSVRow(w, sub.Email, string(sub.Status), csvCountries(sub.Filter), strings.Join(sub.Topics, ";"),
			sub.Language, sub.Mode, sub.CreatedAt.UTC().Format(time.RFC3339))
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
// would run as a formula escaped (subscription.EscapeCSVCell): addresses
// stored before such were refused may begin with "=". The importer
// undoes the escape.
func writeCSVRow(w *csv.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = subscription.EscapeCSVCell(c)
	}
	w.Write(cells)
}

// SubscriberPage is one person as the desk shows them.
type SubscriberPage struct {
	Record     domain.SubscriberRecord
	Consents   []domain.ConsentEntry
	Deliveries []domain.SubscriberDelivery
}

// maxSubscriberDeliveries bounds the deliveries shown with a person.
const maxSubscriberDeliveries = 50

// Subscriber returns one person with their consent record and latest
// deliveries.
func (d *Desk) Subscriber(ctx context.Context, id int64) (SubscriberPage, error) {
	var p SubscriberPage
	var err error
	if p.Record, err = d.DB.SubscriberRecord(ctx, id); err != nil {
		return p, err
	}
	if p.Consents, err = d.DB.SubscriberConsents(ctx, id); err != nil {
		return p, err
	}
	p.Deliveries, err = d.DB.SubscriberDeliveries(ctx, id, maxSubscriberDeliveries)
	return p, err
}

// SubscriberAction unsubscribes, suppresses or erases a person
// (domain.ActionUnsubscribe, ActionSuppress, ActionErase) for actor, and
// audits it as subscriber.<action>. The audit names the person by id
// alone: an erased address must not survive in the log.
func (d *Desk) SubscriberAction(ctx context.Context, actor string, id int64, action string) error {
	var err error
	switch action {
	case domain.ActionUnsubscribe, domain.ActionSuppress:
		_, err = d.DB.StopSubscriber(ctx, id, action, actor)
	case domain.ActionErase:
		err = d.DB.EraseSubscriber(ctx, id, actor, token.New())
	default:
		return errs.New(errs.NotFound, "no such action on a subscriber: %q", action)
	}
	if err != nil {
		return err
	}
	d.Audit(ctx, actor, "subscriber."+action, "subscriber", id, "")
	return nil
}

func (d *Desk) subscriptions() *subscription.Service { return &subscription.Service{DB: d.DB} }

// ImportSubscribers stores a CSV list of people as active subscribers
// (subscription.Service.Import) and audits it.
func (d *Desk) ImportSubscribers(ctx context.Context, actor string, r io.Reader, c domain.Consent) (subscription.ImportResult, error) {
	tax, err := d.Taxonomy(ctx)
	if err != nil {
		return subscription.ImportResult{}, err
	}
	res, err := d.subscriptions().Import(ctx, tax, r, c)
	if err != nil {
		return res, err
	}
	d.Audit(ctx, actor, "subscriber.import", "subscriber", nil, "imported %d, skipped %d", res.Imported, res.Skipped)
	return res, nil
}

// draftKind is the import_drafts kind of a subscriber list.
const draftKind = "subscribers"

// PreviewSubscriberImport reports what importing a CSV list would do and,
// when it has no line errors, keeps it as a draft to be confirmed by id
// (ConfirmSubscriberImport), so exactly what was previewed is imported.
// Invalid lines are an errs.Invalid whose Details are the line errors;
// nothing is kept then.
func (d *Desk) PreviewSubscriberImport(ctx context.Context, actor string, body []byte, c domain.Consent) (draft int64, p postgres.ImportPreview, err error) {
	tax, err := d.Taxonomy(ctx)
	if err != nil {
		return 0, p, err
	}
	p, err = d.subscriptions().Preview(ctx, tax, bytes.NewReader(body), c)
	if err != nil {
		return 0, p, err
	}
	draft, err = d.DB.SaveDraft(ctx, draftKind, "csv", body, actor)
	return draft, p, err
}

// ConfirmSubscriberImport imports a list PreviewSubscriberImport kept;
// a draft is used once.
func (d *Desk) ConfirmSubscriberImport(ctx context.Context, actor string, draft int64, c domain.Consent) (subscription.ImportResult, error) {
	_, body, err := d.DB.TakeDraft(ctx, draft, draftKind, actor)
	if err != nil {
		return subscription.ImportResult{}, err
	}
	return d.ImportSubscribers(ctx, actor, bytes.NewReader(body), c)
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
