package editions_test

import (
	"testing"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
)

// TestRetryAfterAnotherEditionGaveItsStories: a digest that failed for
// now, retried after another edition gave its reader every story in it,
// is skipped, saying why, rather than bring them a second time; one whose
// reader had only some of them is sent, since the rest would be lost.
func TestRetryAfterAnotherEditionGaveItsStories(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-09-01"), "Kilo", "CR")
	f.item(*day("2021-09-02"), "Lima", "PA")
	f.subscriber("all@example.org", "CR")
	f.subscriber("some@example.org", "CR", "PA")

	f.smtp.Reject = func(string) error {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	failed, _, err := f.db.CreateEdition(f.ctx, domain.NewEdition{PublishedFrom: day("2021-09-01"), PublishedTo: day("2021-09-02")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, failed.ID); err != nil {
		t.Fatal(err)
	}
	f.sendQueuedAs(true)
	if e := f.edition(failed.ID); e.Failed != 2 {
		t.Fatalf("the edition that failed for now: %+v", e)
	}
	f.smtp.Reject = nil
	// An editor's edition of the first day: Kilo, to both.
	if e := f.run(domain.NewEdition{PublishedFrom: day("2021-09-01"), PublishedTo: day("2021-09-01")}); e.Sent != 2 {
		t.Fatalf("the edition of the first day: %+v", e)
	}

	r, err := f.db.RetryFailed(f.ctx, failed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Retried != 1 || r.Skipped != 1 {
		t.Errorf("retry: %+v, want one sent again and one skipped", r)
	}
	if _, err := editions.EnqueueBatches(f.ctx, f.db, f.compiler.Queue, nil, failed.ID); err != nil {
		t.Fatal(err)
	}
	f.sendQueued()
	if d := f.deliveries(failed.ID)["all@example.org"]; d.Status != domain.DeliverySkipped {
		t.Errorf("the digest of a reader who had its every story since: %s, want skipped", d.Status)
	}
	var reason string
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT reason FROM deliveries WHERE id = $1`,
		f.deliveries(failed.ID)["all@example.org"].ID).Scan(&reason); err != nil || reason != domain.ReasonReceivedSince {
		t.Errorf("its reason: %q, %v; want %q", reason, err, domain.ReasonReceivedSince)
	}
	for addr, want := range map[string]map[string]int{
		"all@example.org":  {"Kilo": 1},
		"some@example.org": {"Lima": 1},
	} {
		for title, n := range want {
			if got := f.timesGot(addr, title); got != n {
				t.Errorf("%s reached %s %d times, want %d", title, addr, got, n)
			}
		}
	}
}
