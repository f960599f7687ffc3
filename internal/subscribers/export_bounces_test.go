package subscribers_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/testenv"
)

// TestExportHoldsWhatCameBackAboutTheirMail: a person's copy of their
// data holds what came back about their mail after it left (a DSN's
// kind, code and words, which quote their address; a complaint), for
// their digests and their one-off mails alike: it is held about them.
func TestExportHoldsWhatCameBackAboutTheirMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	const addr = "lia@example.org"
	subscriber, delivery := exportDigestTo(t, db, addr)
	if _, err := db.RecordBounce(ctx, domain.BounceReport{DeliveryID: delivery, Kind: domain.BounceSoft, Source: "smtp",
		ReportID: "dsn-1", Code: "5.2.2", Diagnostic: "552 5.2.2 <lia@example.org>: mailbox full"}, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordNoticeBounce(ctx, subscriber, domain.BounceReport{Kind: domain.BounceSoft, Source: "ses",
		ReportID: "feedback-1", Code: "4.2.2", Diagnostic: "452 4.2.2 <lia@example.org>: over quota"}, 3); err != nil {
		t.Fatal(err)
	}
	const link = "export-link-for-lia"
	h := sha256.Sum256([]byte(link))
	if _, err := db.Pool().Exec(ctx, `INSERT INTO export_links (subscriber_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
		subscriber, h[:]); err != nil {
		t.Fatal(err)
	}
	data, err := subscribers.New(subscribers.Deps{Store: db}).ExportByLink(ctx, link)
	if err != nil {
		t.Fatal(err)
	}
	var raw strings.Builder
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"552 5.2.2 <lia@example.org>: mailbox full"`, `"452 4.2.2 <lia@example.org>: over quota"`} {
		if !strings.Contains(raw.String(), want) {
			t.Errorf("the export does not hold %s:\n%s", want, raw.String())
		}
	}
}

// exportDigestTo makes addr an active reader with one digest sent, and
// returns the reader and the delivery.
func exportDigestTo(t *testing.T, db *postgres.DB, addr string) (subscriber, delivery int64) {
	t.Helper()
	ctx := context.Background()
	err := db.Pool().QueryRow(ctx, `
		INSERT INTO subscribers (email, status, language, mode, token, confirmed_at)
		VALUES ($1, 'active', 'en', 'any', $2, now()) RETURNING id`, addr, "token-"+addr).Scan(&subscriber)
	if err != nil {
		t.Fatal(err)
	}
	var edition int64
	if err := db.Pool().QueryRow(ctx, `INSERT INTO editions (status) VALUES ('done') RETURNING id`).Scan(&edition); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool().QueryRow(ctx, `
		INSERT INTO deliveries (edition_id, subscriber_id, status, sent_at) VALUES ($1, $2, 'sent', $3) RETURNING id`,
		edition, subscriber, time.Now().Add(-time.Hour)).Scan(&delivery); err != nil {
		t.Fatal(err)
	}
	return subscriber, delivery
}
