package editions_test

import (
	"slices"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/ingest"
	"newsdigest/internal/token"
)

// version stores one language version of a story as ingest would: keyed
// by its link and the links of its alternates (a feed's hreflang).
func (f *fixture) version(lang, published, title, link string, alternates []string, countries, topics []string) int64 {
	f.t.Helper()
	it := domain.Item{PublishedOn: *day(published), Title: title, URL: link, Language: lang,
		Countries: countries, Topics: topics, Alternates: alternates}
	it.Fingerprint = ingest.Fingerprint(it)
	it.TranslationKeys = ingest.TranslationKeys(it.URL, it.Alternates)
	if _, _, err := f.db.InsertItems(f.ctx, []domain.Item{it}); err != nil {
		f.t.Fatal(err)
	}
	var id int64
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT id FROM items WHERE fingerprint = $1`, it.Fingerprint).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) reader(email, lang string, countries, topics []string) {
	f.t.Helper()
	if topics == nil {
		topics = []string{}
	}
	_, err := f.db.Pool().Exec(f.ctx, `
		INSERT INTO subscribers (email, status, countries, topics, language, token) VALUES ($1, 'active', $2, $3, $4, $5)`,
		email, countries, topics, lang, token.New())
	if err != nil {
		f.t.Fatal(err)
	}
}

// TestTranslationArrivingLaterIsNotSentAgain: a story goes out in English
// in one edition; its Spanish version arrives for the next. Whoever's
// digest held the English one does not get the Spanish one, in no section
// (its tags differ, so it would land elsewhere); whoever's did not (a
// reader whose choices it did not match then, one who joined since) gets
// it, in their language.
func TestTranslationArrivingLaterIsNotSentAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const (
		english = "Returnees trained in Guatemala"
		spanish = "Personas retornadas reciben capacitacion en Honduras"
		other   = "Costa Rica extends work permits"
		later   = "New border post opens in Guatemala"
	)
	all := []string{english, spanish, other, later}
	ret := []string{"return-reintegration"}
	// The English feed names the Spanish address already; the two are
	// linked once the Spanish version names it back.
	enID := f.version("en", "2021-03-01", english, "https://news.example.org/en/2021/03/returnees-training",
		[]string{"https://news.example.org/es/2021/03/retornados-capacitacion"}, []string{"GT"}, ret)
	f.version("en", "2021-03-01", other, "https://news.example.org/en/2021/03/work-permits", nil, []string{"CR"}, nil)
	f.reader("ana@example.org", "en", []string{"GT"}, ret)       // gets it under Guatemala
	f.reader("bea@example.org", "es", []string{"GT", "HN"}, nil) // gets it in English: no Spanish yet
	f.reader("cid@example.org", "en", []string{"HN", "CR"}, nil) // gets edition 1, not this story
	f.reader("eli@example.org", "en", []string{"PA"}, nil)       // nothing in edition 1
	e1 := f.run(domain.NewEdition{PublishedFrom: day("2021-03-01"), PublishedTo: day("2021-03-01")})
	if e1.Status != domain.EditionDone || e1.Sent != 3 {
		t.Fatalf("edition 1 = %+v", e1)
	}
	for addr, want := range map[string]string{
		"ana@example.org": english, "bea@example.org": english, "cid@example.org": other,
	} {
		if got := strings.Join(f.titles(addr, all...), ","); got != want {
			t.Fatalf("edition 1 to %s: %q, want %q", addr, got, want)
		}
	}

	// The Spanish version arrives, naming the English one as its hreflang
	// alternate, tagged Honduras rather than Guatemala.
	esID := f.version("es", "2021-03-02", spanish, "https://news.example.org/es/2021/03/retornados-capacitacion",
		[]string{"https://news.example.org/en/2021/03/returnees-training"}, []string{"HN"}, ret)
	f.version("en", "2021-03-03", later, "https://news.example.org/en/2021/03/border-post", nil, []string{"GT"}, nil)
	es, err := f.db.Item(f.ctx, esID)
	if err != nil || !slices.Equal(es.Translations, []int64{enID}) {
		t.Fatalf("Spanish version's translations %v (%v), want the English one %d", es.Translations, err, enID)
	}
	f.reader("dan@example.org", "es", []string{"GT"}, ret) // joined since

	e2 := f.run(domain.NewEdition{PublishedFrom: day("2021-03-02"), PublishedTo: day("2021-03-31")})
	if e2.Status != domain.EditionDone || e2.Items != 3 { // the Spanish version brings the English one
		t.Fatalf("edition 2 = %+v", e2)
	}
	for addr, want := range map[string]string{
		"ana@example.org": later,   // not the Spanish one under Return and reintegration
		"bea@example.org": later,   // not the Spanish one under Honduras
		"cid@example.org": english, // their digest did not hold it: now it does, in English
		"dan@example.org": spanish + "," + later,
	} {
		msgs, wantMsgs := len(f.smtp.To(addr)), 2
		if addr == "dan@example.org" {
			wantMsgs = 1
		}
		if got := strings.Join(f.titles(addr, all...), ","); got != want || msgs != wantMsgs {
			t.Errorf("edition 2 to %s: %q in the last of %d messages, want %q in the last of %d", addr, got, msgs, want, wantMsgs)
		}
	}
	if n := len(f.smtp.To("eli@example.org")); n != 0 {
		t.Errorf("eli got %d messages, want none", n)
	}

	// An edition of the whole month holds both versions again: every
	// reader has had the story once, in one language, and nothing else is
	// new.
	before := len(f.smtp.Messages())
	e3 := f.run(domain.NewEdition{PublishedFrom: day("2021-03-01"), PublishedTo: day("2021-03-31")})
	if e3.Status != domain.EditionDone || e3.Sent != 0 {
		t.Errorf("edition 3 = %+v, want nothing sent", e3)
	}
	if n := len(f.smtp.Messages()) - before; n != 0 {
		t.Errorf("edition 3 sent %d messages", n)
	}
}
