package postgres_test

import (
	"testing"
	"time"

	"newsdigest/internal/tagging"
)

// A stored model that cannot be read (damaged, or written by a newer
// version) does not take the learnt part of tagging down: a process that
// had a good model keeps it, one that had none learns one in memory as
// when none is stored, neither reads the bad one again at every look,
// and both say why. The next good model stored is taken up.
func TestUnreadableTagModel(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	good, goodID, err := tagging.Retrain(f.ctx, f.db, f.im.Tagger, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	running := &tagging.Follower{Tagger: newTagger(t), Store: f.db}
	if err := running.Refresh(f.ctx); err != nil || running.ModelID() != goodID {
		t.Fatalf("a process took model %d, %v; want %d", running.ModelID(), err, goodID)
	}
	badID, err := f.db.SaveTagModel(f.ctx, 1, 0, []byte("not a model"))
	if err != nil {
		t.Fatal(err)
	}

	store := &fetchCounter{DB: f.db}
	starting := &tagging.Follower{Tagger: newTagger(t), Store: store}
	running.Store = store
	for range 3 {
		for name, live := range map[string]*tagging.Follower{"running": running, "starting": starting} {
			live.Refresh(f.ctx) // an error is what the caller logs
			if live.Tagger.Model() == nil {
				t.Fatalf("%s process: no model after an unreadable one was stored; tagging fell back to the rules alone", name)
			}
			p := live.Problem()
			if p == nil || p.ID != badID || p.Err == nil {
				t.Fatalf("%s process: problem %+v, want model %d named as unreadable", name, p, badID)
			}
		}
	}
	if running.Tagger.Model() != good && !running.Tagger.Model().TrainedAt.Equal(good.TrainedAt) {
		t.Errorf("the running process changed its model; want the last good one")
	}
	if p := running.Problem(); p.InUse != goodID {
		t.Errorf("running process says it uses model %d, want %d", p.InUse, goodID)
	}
	if p := starting.Problem(); p.InUse != 0 {
		t.Errorf("starting process says it uses model %d, want 0 (learnt in memory)", p.InUse)
	}
	if store.fetches != 2 {
		t.Errorf("the unreadable model was read %d times by 2 processes over 3 looks each, want once each", store.fetches)
	}

	if _, nextID, err := tagging.Retrain(f.ctx, f.db, f.im.Tagger, time.Now()); err != nil {
		t.Fatal(err)
	} else {
		if err := starting.Refresh(f.ctx); err != nil || starting.ModelID() != nextID || starting.Problem() != nil {
			t.Errorf("after a good model was stored: uses %d (%v), problem %+v; want %d and none", starting.ModelID(), err, starting.Problem(), nextID)
		}
	}
}
