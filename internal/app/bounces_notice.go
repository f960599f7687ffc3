package app

import (
	"context"
	"fmt"
	"log/slog"

	"newsdigest/internal/bounce"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/staff"
)

// noticeRecorder records the bounces and complaints that come back, by
// SMTP or a relay's webhook: about a delivery of an edition through the
// editions service; about a one-off mail to a person (a confirmation, a
// notice: bounce.NoticeSubscriber) here, against the subscriber.
type noticeRecorder struct {
	deliveries bounce.Recorder
	db         *postgres.DB
	audit      *staff.Service
	limit      int
	reported   func(bounce.Kind)
	log        *slog.Logger
}

func (r *noticeRecorder) Record(ctx context.Context, e bounce.Event) error {
	sub, ok := bounce.NoticeSubscriber(e.DeliveryID)
	if !ok {
		return r.deliveries.Record(ctx, e)
	}
	if err := e.Validate(); err != nil {
		return err
	}
	out, err := r.db.RecordNoticeBounce(ctx, sub, domain.BounceReport{
		Kind: string(e.Kind), Source: e.Source, ReportID: e.ReportID, MessageKey: e.MessageKey,
		Code: e.Status, Diagnostic: e.Diagnostic, At: e.At,
	}, r.limit)
	if errs.Is(err, errs.NotFound) {
		return fmt.Errorf("%w: a notice to subscriber %d", bounce.ErrUnknownDelivery, sub)
	}
	if err != nil {
		return err
	}
	if out.Duplicate {
		r.log.Info("bounce report recorded before", "subscriber", sub, "kind", string(e.Kind))
		return nil
	}
	if r.reported != nil {
		r.reported(e.Kind)
	}
	r.log.Info("bounce report recorded", "notice_to", sub, "kind", string(e.Kind), "status", e.Status,
		"source", e.Source, "subscriber_status", string(out.After))
	if out.After != out.Before {
		r.audit.Audit(ctx, "system", "subscriber."+string(e.Kind), "subscriber", sub,
			"%s report (%s) about a mail to them (a confirmation or notice): %s → %s", string(e.Kind), e.Source,
			string(out.Before), string(out.After))
	}
	return nil
}
