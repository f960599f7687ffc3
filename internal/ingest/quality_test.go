package ingest

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"newsdigest/internal/tagging"
)

// labelled is one row of testdata/labelled.tsv.
type labelled struct {
	line                       int
	lang, title, summary       string
	countries, regions, topics []string
}

func readLabelled(t *testing.T, name string) []labelled {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list := func(s string) []string {
		if s == "-" {
			return []string{}
		}
		out := strings.Split(s, ",")
		slices.Sort(out)
		return out
	}
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 {
			t.Fatalf("%s:%d: %d columns, want 6", name, n, len(c))
		}
		out = append(out, labelled{line: n, lang: c[0], countries: list(c[1]), regions: list(c[2]),
			topics: list(c[3]), title: c[4], summary: c[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score counts micro-averaged agreement between labels and tags.
type score struct{ truePos, falsePos, falseNeg int }

func (s *score) add(want, got []string) (missed, extra []string) {
	for _, g := range got {
		if slices.Contains(want, g) {
			s.truePos++
		} else {
			s.falsePos++
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			s.falseNeg++
			missed = append(missed, w)
		}
	}
	return missed, extra
}

func (s score) precision() float64 { return ratio(s.truePos, s.truePos+s.falsePos) }
func (s score) recall() float64    { return ratio(s.truePos, s.truePos+s.falseNeg) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestTaggingQuality measures the tagger against items an editor tagged
// (testdata/labelled.tsv, English and Spanish, with every trap the
// gazetteer knows of) and fails below the thresholds; it reports the
// held-out set (testdata/labelled_holdout.tsv) beside it. Run with -v to
// see the figures and each miss.
func TestTaggingQuality(t *testing.T) {
	const (
		minPlaces = 0.95 // a wrong country sends a story to the wrong desk
		minTopics = 0.80 // topics are softer: editors disagree among themselves
	)
	items := readLabelled(t, "testdata/labelled.tsv")
	if len(items) < 70 {
		t.Fatalf("labelled set has %d items, want at least 70", len(items))
	}
	tg := newTestTagger(t)
	countries, regions, topics := measure(t, tg, items)
	for _, c := range []struct {
		name string
		s    score
		min  float64
	}{
		{"countries", countries, minPlaces},
		{"regions", regions, minPlaces},
		{"topics", topics, minTopics},
	} {
		t.Logf("%-9s precision %.3f recall %.3f (%d right, %d extra, %d missed)",
			c.name, c.s.precision(), c.s.recall(), c.s.truePos, c.s.falsePos, c.s.falseNeg)
		if c.s.precision() < c.min || c.s.recall() < c.min {
			t.Errorf("%s: precision %.3f, recall %.3f; want both at least %.2f", c.name, c.s.precision(), c.s.recall(), c.min)
		}
	}
	t.Logf("SUMMARY labelled %d items: countries P %.3f R %.3f | regions P %.3f R %.3f | topics P %.3f R %.3f",
		len(items), countries.precision(), countries.recall(), regions.precision(), regions.recall(),
		topics.precision(), topics.recall())

	held := readLabelled(t, "testdata/labelled_holdout.tsv")
	countries, regions, topics = measure(t, tg, held)
	t.Logf("SUMMARY held-out %d items: countries P %.3f R %.3f | regions P %.3f R %.3f | topics P %.3f R %.3f",
		len(held), countries.precision(), countries.recall(), regions.precision(), regions.recall(),
		topics.precision(), topics.recall())
}

// measure tags items and scores the tags against the labels, logging
// every disagreement.
func measure(t *testing.T, tg *tagging.Tagger, items []labelled) (countries, regions, topics score) {
	for _, it := range items {
		got := tg.Tag(it.title, it.summary, it.lang)
		for _, c := range []struct {
			name      string
			s         *score
			want, got []string
		}{
			{"countries", &countries, it.countries, got.Countries},
			{"regions", &regions, it.regions, got.Regions},
			{"topics", &topics, it.topics, got.Topics},
		} {
			if missed, extra := c.s.add(c.want, c.got); len(missed)+len(extra) > 0 {
				t.Logf("line %d %s: missed %v, extra %v: %.70s", it.line, c.name, missed, extra, it.title)
			}
		}
	}
	return countries, regions, topics
}
