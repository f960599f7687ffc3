package items

import (
	"context"
	"fmt"
	"time"

	"newsdigest/internal/tagging"
	"newsdigest/internal/tasks"
)

// Retrain trains the tagger's model again from the labelled items
// and the desk's corrections, stores it for the web app and the other
// workers, tags with it from now on, and looks again at the stories not
// yet sent: where it would now tag them differently, it leaves a
// suggestion for an editor. A retraining that follows another (p.After)
// trains only if a correction was saved since that one began.
//
// While a retraining's task runs, it holds the queue's lock that makes a
// correction's request to retrain a duplicate, until the worker marks it
// done, after this returns: a correction saved meanwhile, however late,
// is refused and asks nothing. So every retraining queues, as it ends, a
// retraining to follow it, which looks for such corrections once the
// lock is gone; finding none, it ends there.
//
// One retraining runs at a time, on any worker (OneRetraining), and its
// start is read from the database's clock, which stamps the corrections.
func (s *Service) Retrain(ctx context.Context, p tasks.RetrainTagger) error {
	return s.store.OneRetraining(ctx, func(start time.Time) error {
		if p.After != 0 {
			// The margin covers an editor's transaction that began, and
			// stamped its row, a little before the last retraining read.
			changed, err := s.store.TagExamplesChangedSince(ctx, time.Unix(0, p.After).Add(-retrainMargin))
			if err != nil || !changed {
				return err
			}
		}
		began := time.Now()
		m, id, err := tagging.Retrain(ctx, s.store, s.tagger, start)
		if err != nil {
			return err
		}
		s.models.Adopt(id)
		trained := time.Since(began)
		suggested, err := tagging.RefreshSuggestions(ctx, s.store, s.tagger, id)
		if err != nil {
			return err
		}
		s.log.Info("tagger retrained", "model", id, "examples", m.Examples, "desk_examples", m.DeskExamples,
			"took", trained, "suggestions", suggested)
		if _, err := s.queue.EnqueueContext(ctx, tasks.NewRetrainTaggerAfter(start)); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
		return nil
	})
}

// retrainMargin is how long before a retraining began a correction may be
// stamped and still be missed by it.
const retrainMargin = 5 * time.Second

// RetrainIfNoModel asks for a retraining when no model is stored (a new
// installation, or one whose stored models a migration dropped) or the
// newest cannot be read (damaged, or stored by another version), so that
// one every process can use is stored and the stories not yet sent are
// looked at again with the tagger as it now is, without waiting for an
// editor's correction.
func (s *Service) RetrainIfNoModel(ctx context.Context) {
	id, err := s.store.LatestTagModelID(ctx)
	if err != nil || id != 0 && s.models.Problem() == nil {
		return
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewRetrainTagger()); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("first tagger retraining not queued", "err", err)
	}
}

// Start loads the newest tag model the desk trained and asks for a
// retraining when none is stored, or none that can be read: what a
// worker does as it starts.
func (s *Service) Start(ctx context.Context) {
	if err := s.models.Refresh(ctx); err != nil {
		s.log.Warn("tag model not loaded", "err", err, "using", s.modelInUse())
	}
	s.RetrainIfNoModel(ctx)
}

// modelInUse names the model the tagger uses, for a log line.
func (s *Service) modelInUse() string {
	switch id := s.models.ModelID(); {
	case s.tagger.Model() == nil:
		return "the rules alone"
	case id == 0:
		return "a model learnt in memory"
	default:
		return fmt.Sprintf("stored model %d", id)
	}
}
