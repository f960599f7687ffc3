package subscribers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

// TestEstimateCountsRecentStoriesWithTheDigestRule: the estimate counts
// the stories of the last eight weeks that Match gives a filter (hidden
// ones, older ones and a second language version left out), and answers
// from its snapshot until that is older than MaxAge.
func TestEstimateCountsRecentStoriesWithTheDigestRule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	insert := func(title, lang string, countries ...string) int64 {
		t.Helper()
		it := domain.Item{PublishedOn: *day("2026-11-20"), Title: title, Language: lang, Countries: countries,
			Fingerprint: "t:" + title}
		if _, _, err := db.InsertItems(ctx, []domain.Item{it}); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.Pool().QueryRow(ctx, `SELECT id FROM items WHERE fingerprint = $1`, "t:"+title).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	var first int64
	for i := range 17 {
		id := insert(fmt.Sprintf("Costa Rica story %d", i), "en", "CR")
		if i == 0 {
			first = id
		}
	}
	for i := range 3 {
		insert(fmt.Sprintf("Mexico story %d", i), "en", "MX")
	}
	old := insert("An old Costa Rica story", "en", "CR")
	hidden := insert("A hidden Costa Rica story", "en", "CR")
	spanish := insert("Una noticia de Costa Rica", "es", "CR")
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool().Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE items SET ingested_at = now() - interval '9 weeks' WHERE id = $1`, old)
	exec(`UPDATE items SET hidden = true WHERE id = $1`, hidden)
	exec(`UPDATE items SET translation_of = $2 WHERE id = $1`, spanish, first)

	now := time.Now()
	e := &subscribers.Estimator{Source: db, Taxonomy: &taxonomy.Cache{Source: db}, MaxAge: time.Minute, Now: func() time.Time { return now }}
	for _, tc := range []struct {
		name string
		f    domain.Filter
		want subscribers.Estimate
	}{
		{"a country", domain.Filter{Countries: []string{"CR"}, Language: "en", Mode: domain.ModeAny}, subscribers.Estimate{Stories: 17, PerWeek: 2}},
		{"a country, read in Spanish", domain.Filter{Countries: []string{"CR"}, Language: "es", Mode: domain.ModeAny}, subscribers.Estimate{Stories: 17, PerWeek: 2}},
		{"all stories", domain.Filter{All: true, Language: "en", Mode: domain.ModeAny}, subscribers.Estimate{Stories: 20, PerWeek: 3}},
		{"fewer than one a week", domain.Filter{Countries: []string{"MX"}, Language: "en", Mode: domain.ModeAny}, subscribers.Estimate{Stories: 3, PerWeek: 0}},
		{"nothing chosen", domain.Filter{Language: "en", Mode: domain.ModeAny}, subscribers.Estimate{}},
	} {
		got, err := e.Estimate(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: estimate %+v, want %+v", tc.name, got, tc.want)
		}
	}

	for i := range 8 {
		insert(fmt.Sprintf("Jamaica story %d", i), "en", "JM")
	}
	all := domain.Filter{All: true, Language: "en", Mode: domain.ModeAny}
	if got, _ := e.Estimate(ctx, all); got.Stories != 20 {
		t.Errorf("within MaxAge the estimate read the stories again: %+v", got)
	}
	now = now.Add(2 * time.Minute)
	if got, _ := e.Estimate(ctx, all); got.Stories != 28 || got.PerWeek != 4 {
		t.Errorf("past MaxAge: estimate %+v, want 28 stories, 4 a week", got)
	}
}

func day(s string) *domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}
