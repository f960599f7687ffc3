package tagging

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// ModelStore keeps the desk's labelled examples and the trained models (a
// *postgres.DB).
type ModelStore interface {
	// TagExamples returns the newest of the desk's examples whose topics
	// were judged, at most newest of them, oldest first.
	TagExamples(ctx context.Context, newest int) ([]Example, error)
	SaveTagModel(ctx context.Context, examples, deskExamples int, model []byte) (int64, error)
	// LatestTagModelID returns the id of the newest stored model, 0 when
	// no model has been trained yet: a cheap question asked often.
	LatestTagModelID(ctx context.Context) (int64, error)
	// LatestTagModel returns id 0 when no model has been trained yet.
	LatestTagModel(ctx context.Context) (int64, []byte, error)
}

// MaxDeskExamples is how many of the desk's corrections a retraining
// learns from: the newest. It keeps a retraining's time and the model's
// size where they are measured (BenchmarkRetrain10000,
// TestModelSizeAt10000) however long a desk has been correcting; older
// corrections, which weigh a quarter of a fresh one by then, are kept
// but no longer learnt from.
const MaxDeskExamples = 10_000

// Retrain trains a model from the labelled items that ship with the code
// and the desk's corrections, stores it, and makes tg use it. It returns
// the model and its id in the store.
func Retrain(ctx context.Context, store ModelStore, tg *Tagger, now time.Time) (*Model, int64, error) {
	m, err := train(ctx, store, tg, now)
	if err != nil {
		return nil, 0, err
	}
	b, err := MarshalModel(m)
	if err != nil {
		return nil, 0, err
	}
	id, err := store.SaveTagModel(ctx, m.Examples, m.DeskExamples, b)
	if err != nil {
		return nil, 0, err
	}
	tg.SetModel(m)
	return m, id, nil
}

func train(ctx context.Context, store ModelStore, tg *Tagger, now time.Time) (*Model, error) {
	seed, err := SeedExamples()
	if err != nil {
		return nil, err
	}
	desk, err := store.TagExamples(ctx, MaxDeskExamples)
	if err != nil {
		return nil, fmt.Errorf("train tag model: %w", err)
	}
	return tg.Train(append(seed, desk...), now), nil
}

// Follower keeps a tagger on the newest stored model, looking at most once
// per Every (a process that tags items calls Refresh before it does; the
// worker stores a new model after each retraining). Looking asks the
// store for the newest model's id only; the model itself is read when
// the id is new.
type Follower struct {
	Tagger *Tagger
	Store  ModelStore
	Every  time.Duration

	mu      sync.Mutex
	checked time.Time
	id      int64
	// unreadable is the newest stored model when it could not be read,
	// and why. It is not read again: a model of megabytes would be read
	// at every look, to fail the same way.
	unreadable    int64
	unreadableErr error
}

// ModelProblem says that the newest stored model cannot be used, why, and
// what the tagger uses instead.
type ModelProblem struct {
	ID  int64 // the newest stored model
	Err error
	// InUse is the stored model the tagger uses instead, the last it could
	// read; 0 when it uses one trained in memory from the same data.
	InUse int64
}

// Refresh loads the newest stored model if it is not the one in use. When
// none is stored yet (a new installation, before the worker's first
// retraining), it trains one in memory from the same data, so the model
// is there from the first item. A stored model that cannot be read
// (damaged, or of a layout this version does not know) is reported once
// and then left alone (see Problem): the tagger keeps the model it had,
// or, having none, trains one in memory as when none is stored. On a
// store error the tagger keeps what it had: the rules alone still tag.
func (f *Follower) Refresh(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.checked.IsZero() && time.Since(f.checked) < f.Every {
		return nil
	}
	f.checked = time.Now()
	id, err := f.Store.LatestTagModelID(ctx)
	switch {
	case err != nil:
		return err
	case id == 0 && f.Tagger.Model() == nil:
		return f.trainInMemory(ctx)
	case id == 0 || id == f.id || id == f.unreadable:
		return nil
	}
	id, b, err := f.Store.LatestTagModel(ctx)
	if err != nil || id == 0 {
		return err
	}
	m, err := UnmarshalModel(b)
	if err != nil {
		f.unreadable, f.unreadableErr = id, err
		if f.Tagger.Model() == nil {
			if err := f.trainInMemory(ctx); err != nil {
				return fmt.Errorf("stored tag model %d: %w; no model learnt in its place: %w", id, f.unreadableErr, err)
			}
		}
		return fmt.Errorf("stored tag model %d not used: %w", id, err)
	}
	f.Tagger.SetModel(m)
	f.id = id
	f.unreadable, f.unreadableErr = 0, nil
	return nil
}

// trainInMemory makes the tagger use a model trained from the labelled
// items and the desk's examples, stored nowhere.
func (f *Follower) trainInMemory(ctx context.Context) error {
	m, err := train(ctx, f.Store, f.Tagger, time.Now())
	if err != nil {
		return err
	}
	f.Tagger.SetModel(m)
	return nil
}

// Problem returns why the newest stored model is not the one in use, or
// nil when it is (or none is stored).
func (f *Follower) Problem() *ModelProblem {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.unreadable == 0 {
		return nil
	}
	return &ModelProblem{ID: f.unreadable, Err: f.unreadableErr, InUse: f.id}
}

// ModelID returns the id of the stored model the tagger uses, 0 when it
// uses none or one trained in memory.
func (f *Follower) ModelID() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.id
}

// Adopt records that the tagger now uses the stored model id (the worker
// that trained and stored it), so Refresh does not read it back.
func (f *Follower) Adopt(id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.id = id
	if id > f.unreadable {
		f.unreadable, f.unreadableErr = 0, nil
	}
}
