package items

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
	"newsdigest/internal/tasks"
)

// pollLease is how long a claimed poll holds its source: longer than a
// poll can take (the task's timeout), so that only a worker that died
// mid-poll lets the reconciler queue the source again.
const pollLease = 10 * time.Minute

// maxDuePolls bounds the polls one reconcile run queues; the rest wait a
// run, which keeps a backlog after an outage from flooding the queue.
const maxDuePolls = 500

// PollSource claims a source's poll slot due, fetches the source and
// imports what it holds (the source:poll task). Problems with the source
// (unreachable, refused, not a feed, a bad entry) are recorded on it for
// the editor and are not retried: the next slot comes on the source's
// interval, doubled for each failure in a row up to
// domain.MaxPollBackoff, and no sooner than the server's Retry-After.
// Only database failures return an error.
func (s *Service) PollSource(ctx context.Context, sourceID int64, due time.Time) error {
	src, claimed, err := s.store.ClaimPoll(ctx, sourceID, due, pollLease)
	if err != nil || !claimed {
		return err // not claimed: polled already, or the source is gone
	}
	res, validators, pollErr := s.fetchAndImport(ctx, src)
	// The task's timeout is the source's failure to record, like any
	// other: left to the lease, a source too slow to poll would come back
	// every lease, not every interval, with no word to the editor.
	timedOut := pollErr != nil && errors.Is(ctx.Err(), context.DeadlineExceeded)
	switch {
	case pollErr != nil && ctx.Err() != nil && !timedOut:
		return pollErr // shutting down: the lease brings the poll back
	case timedOut && isStoreError(pollErr):
		var se storeError
		errors.As(pollErr, &se)
		pollErr = errs.New(errs.Unavailable, "%s: the poll took too long and was stopped; nothing was imported",
			src.URL).Because(se.error)
	case isStoreError(pollErr):
		return pollErr // the lease brings the poll back once the database does
	}
	outcome := domain.PollOutcome{ETag: validators.ETag, LastModified: validators.LastModified}
	if pollErr != nil {
		outcome.Err, outcome.Problem = pollMessage(pollErr, src.Kind)
		outcome.Wait = ingest.AskedToWait(pollErr)
		s.log.Warn("source poll failed", "source", src.ID, "url", src.URL, "err", pollErr)
		s.observePoll("error")
	} else {
		s.log.Info("source polled", "source", src.ID, "imported", res.Imported, "duplicates", res.Duplicates)
		s.observePoll("ok")
	}
	return s.store.RecordPoll(context.WithoutCancel(ctx), src.ID, outcome)
}

// fetchAndImport does the poll itself.
func (s *Service) fetchAndImport(ctx context.Context, src domain.Source) (ingest.Result, ingest.Validators, error) {
	f, err := s.fetcher.Fetch(ctx, src.URL, ingest.Validators{ETag: src.ETag, LastModified: src.LastModified})
	if err != nil {
		return ingest.Result{}, ingest.Validators{}, err
	}
	if f.NotModified {
		return ingest.Result{}, f.Validators, nil
	}
	s.refreshTagger(ctx)
	im := &ingest.Importer{Store: &sourceStore{db: s.store, source: src.ID}, Tagger: s.tagger}
	var res ingest.Result
	switch src.Kind {
	case domain.SourceListing:
		res, err = im.ImportListing(ctx, bytes.NewReader(f.Body))
	default:
		res, err = im.ImportFeed(ctx, bytes.NewReader(f.Body), f.URL)
	}
	if err != nil {
		// Keep the old validators: a 304 must not hide a document that
		// was never imported.
		return res, ingest.Validators{}, err
	}
	return res, f.Validators, nil
}

// sourceStore stores a source's items in the database and remembers
// they came from the source.
type sourceStore struct {
	db     ItemSourceStore
	source int64
}

// ItemSourceStore stores a source's items and remembers where they came
// from.
type ItemSourceStore interface {
	ingest.RefreshingStore
	LinkSourceItems(ctx context.Context, id int64, fingerprints []string) error
}

// storeError marks failures of the database, which are retried, apart
// from failures of the source, which are recorded.
type storeError struct{ error }

func (e storeError) Unwrap() error { return e.error }

func isStoreError(err error) bool {
	var se storeError
	return errors.As(err, &se)
}

// IngestItems stores the items as any import does (bringing stories
// already held up to date) and links them to the source.
func (ss *sourceStore) IngestItems(ctx context.Context, items []domain.Item) (ingest.Result, error) {
	res, err := ss.db.IngestItems(ctx, items)
	if err != nil {
		return ingest.Result{}, storeError{err}
	}
	fps := make([]string, len(items))
	for i, it := range items {
		fps[i] = it.Fingerprint
	}
	if err := ss.db.LinkSourceItems(ctx, ss.source, fps); err != nil {
		return ingest.Result{}, storeError{err}
	}
	return res, nil
}

// InsertItems makes sourceStore an ingest.ItemStore; the importer calls
// IngestItems.
func (ss *sourceStore) InsertItems(ctx context.Context, items []domain.Item) (int, int, error) {
	res, err := ss.IngestItems(ctx, items)
	return res.Imported, res.Duplicates, err
}

// pollMessage is the error as the editor sees it on the source, in
// English (the API's last_error): the client-safe message, what Go said
// behind it (the cause a script watching its sources needs: the DNS
// server, the certificate's fault), and, for an unusable document, its
// first few problems by entry or line; and the same in parts, for the
// console to say in its reader's language.
func pollMessage(err error, kind string) (string, domain.PollProblem) {
	var e *errs.Error
	if !errors.As(err, &e) {
		return err.Error(), domain.PollProblem{}
	}
	msg := e.Message
	var p domain.PollProblem
	if format, args := e.Template(); format != "" {
		p.Words = domain.NewWords(format, args...)
	}
	if cause := e.Unwrap(); cause != nil {
		p.Detail = cause.Error()
		msg += " (" + p.Detail + ")"
	}
	if lines, ok := e.Details.([]ingest.LineError); ok && len(lines) > 0 {
		parts := make([]string, 0, 3)
		for i, l := range lines {
			if i == 3 {
				parts = append(parts, "…")
				break
			}
			if kind == domain.SourceFeed {
				parts = append(parts, fmt.Sprintf("entry %d: %s", l.Line, l.Message))
			} else {
				parts = append(parts, l.Error())
			}
			p.Lines = append(p.Lines, domain.PollLine{Line: l.Line, Code: l.Code, Arg: l.Arg, Message: l.Message})
		}
		msg += ": " + strings.Join(parts, "; ")
	}
	return msg, p
}

// EnqueueDuePolls queues the sources whose next poll is due (the
// reconciler's part); the task ids make the same slot asked for by
// several workers one task. A slot's task that used up its retries
// without reaching the database left the source due and is kept by the
// queue under the same id: with the worker's inspector it is replaced,
// else that source would not be polled again while the queue keeps it.
func (s *Service) EnqueueDuePolls(ctx context.Context) error {
	due, err := s.store.DueSources(ctx, maxDuePolls)
	if err != nil {
		return err
	}
	for _, d := range due {
		t := tasks.NewPollSource(d.SourceID, d.Due)
		if s.inspect != nil {
			_, err = tasks.EnqueueAgain(ctx, s.queue, s.inspect, t, tasks.QueueDefault, tasks.PollSourceID(d.SourceID, d.Due))
		} else if _, err = s.queue.EnqueueContext(ctx, t); tasks.IsDuplicate(err) {
			err = nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// observePoll tells Deps.Polled how a poll ended.
func (s *Service) observePoll(result string) {
	if s.polled != nil {
		s.polled(result)
	}
}
