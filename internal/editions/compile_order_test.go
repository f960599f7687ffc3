package editions_test

import (
	"testing"

	"newsdigest/internal/domain"
)

// TestCompileNumbersEachDigestsReadersTogether: readers over several of
// the compile's pages (5,000 readers each), their filters alternating so
// that every digest has readers on every page. Each digest's deliveries
// must be one run of ids, so that a sender, which keeps only the digests
// of the batches it is sending, renders each digest once.
func TestCompileNumbersEachDigestsReadersTogether(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-01-01"), "Delta", "CR")
	f.item(*day("2021-01-02"), "Echo", "PA")
	f.item(*day("2021-01-03"), "Foxtrot", "MX")
	const readers = 12000
	if _, err := f.db.Pool().Exec(f.ctx, `
		INSERT INTO subscribers (email, status, countries, token)
		SELECT 'reader' || g || '@example.org', 'active',
		       CASE g % 3 WHEN 0 THEN '{CR}'::text[] WHEN 1 THEN '{PA}'::text[] ELSE '{MX,CR}'::text[] END,
		       rpad(md5(g::text), 22, 'x')
		FROM generate_series(1, $1) g`, readers); err != nil {
		t.Fatal(err)
	}
	e := f.compile(domain.NewEdition{PublishedFrom: day("2020-01-01"), PublishedTo: day("2021-12-31")})
	if e.Total != readers {
		t.Fatalf("%d deliveries, want %d", e.Total, readers)
	}
	rows, err := f.db.Pool().Query(f.ctx, `
		SELECT group_id, count(*), max(id) - min(id) + 1 FROM deliveries
		WHERE edition_id = $1 AND group_id IS NOT NULL GROUP BY group_id`, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	groups := 0
	for rows.Next() {
		var group, n, span int64
		if err := rows.Scan(&group, &n, &span); err != nil {
			t.Fatal(err)
		}
		groups++
		if span != n {
			t.Errorf("digest %d: %d readers numbered over %d ids, want one run", group, n, span)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if groups != 3 {
		t.Errorf("%d digests, want 3", groups)
	}
}
