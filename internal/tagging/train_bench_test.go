package tagging

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// benchExamples makes n desk examples with a vocabulary as wide as a
// desk's years of real stories: each is a labelled item's text, its
// topics, and names and words of its own drawn from a long-tailed list of
// 60,000 (places, people, programmes, figures), so that the model has as
// many features to weigh as real text gives it, not the few thousand of
// the labelled items repeated.
func benchExamples(tb testing.TB, n int, now time.Time) []Example {
	seed, err := SeedExamples()
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.1, 1, 60000)
	word := func() string { return fmt.Sprintf("w%x", zipf.Uint64()) }
	out := make([]Example, n)
	for i := range out {
		base := seed[i%len(seed)]
		extra := make([]string, 12)
		for j := range extra {
			extra[j] = word()
		}
		out[i] = Example{Lang: base.Lang, Topics: base.Topics, Desk: true,
			Title:   base.Title + " " + strings.Join(extra[:3], " "),
			Summary: base.Summary + " " + strings.Join(extra[3:], " "),
			At:      now.Add(-time.Duration(i) * time.Hour)}
	}
	return out
}

// BenchmarkRetrain10000 trains a model from the shipped labelled items
// and 10,000 corrections, as the worker's retraining does, and reports
// the stored model's size. Run with:
//
//	go test -run '^$' -bench Retrain -benchtime 3x ./internal/tagging/
func BenchmarkRetrain10000(b *testing.B) {
	tg := newTestTagger(b)
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	seed, err := SeedExamples()
	if err != nil {
		b.Fatal(err)
	}
	examples := append(seed, benchExamples(b, 10000, now)...)
	var stored []byte
	var m *Model
	for b.Loop() {
		m = tg.Train(examples, now)
		if stored, err = MarshalModel(m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(stored))/(1<<20), "MB-stored")
	b.ReportMetric(float64(len(m.vocab)), "features")
	// What a process holds once it has read the model: the heap grown by
	// reading it, after collection.
	var before, after runtime.MemStats
	m = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	loaded, err := UnmarshalModel(stored)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-in-memory")
	runtime.KeepAlive(loaded)
}

// maxModelMB is the bound the model must stay under at 10,000
// corrections, stored and once read into a process.
const maxModelMB = 20

// TestModelSizeAt10000 trains on the shipped labelled items and 10,000
// corrections with a real vocabulary's spread, as BenchmarkRetrain10000
// does (which times it), and checks that the model stays under
// maxModelMB: stored, and in the memory of a process that has read it
// (the heap grown by reading it, after collection). The time a
// retraining takes is the benchmark's to measure; this test's training
// takes a few seconds, several times that under the race detector (over
// 30 s on two busy cores: 10,000 examples are its point). It does not
// run in parallel with others: their allocations would count in the heap
// it measures.
func TestModelSizeAt10000(t *testing.T) {
	tg := newTestTagger(t)
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	seed, err := SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	stored, err := MarshalModel(tg.Train(append(seed, benchExamples(t, 10000, now)...), now))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	loaded, err := UnmarshalModel(stored)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	inMemory := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	t.Logf("SUMMARY model at 10,000 corrections: %d features, %.1f MB stored, %.1f MB in memory", len(loaded.vocab), float64(len(stored))/(1<<20), inMemory)
	if mb := float64(len(stored)) / (1 << 20); mb >= maxModelMB {
		t.Errorf("the stored model is %.1f MB, want under %d", mb, maxModelMB)
	}
	if inMemory >= maxModelMB {
		t.Errorf("the model read into memory takes %.1f MB, want under %d", inMemory, maxModelMB)
	}
	runtime.KeepAlive(loaded)
}
