package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// twiceAtOnce runs do twice at once, as a double click or a double submit
// does, and returns both answers.
func twiceAtOnce(do func() (int, string)) [2]twiceAnswer {
	var out [2]twiceAnswer
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].status, out[i].page = do()
		}()
	}
	wg.Wait()
	return out
}

type twiceAnswer struct {
	status int
	page   string
}

// postForm posts a form with the browser b and returns the answer.
func (s *stack) postForm(b *http.Client, path string, v url.Values) (int, string) {
	resp, err := b.PostForm(s.base+path, v)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestDeleteMeSubmittedTwice: a reader who presses "delete my data" twice
// at once (a double click: the browser shows the answer to the second)
// is told that their data is deleted, or, the first press having ended
// before the second came, that the link no longer works; never that
// something is wrong. The erasure is recorded once. Readers in turn, for
// the two presses to meet in the erasure at least once.
func TestDeleteMeSubmittedTwice(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const readers = 6
	csv := "email,countries,topics,language\n"
	for i := range readers {
		csv += fmt.Sprintf("reader%d@example.org,MX,,en\n", i)
	}
	if status, got := s.importCSV(csv); status != http.StatusOK || got.Imported != readers {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	b := s.browser()
	for i := range readers {
		id := s.subsID(fmt.Sprintf("reader%d@example.org", i))
		var tok string
		s.subsQuery(`SELECT token FROM subscribers WHERE id = $1`, []any{id}, &tok)
		path := "/preferences/" + tok + "/delete"
		csrf := s.csrfToken(b, path)
		deleted := 0
		for j, a := range twiceAtOnce(func() (int, string) { return s.postForm(b, path, url.Values{"csrf_token": {csrf}}) }) {
			switch {
			case a.status == http.StatusOK && strings.Contains(a.page, "Your data is deleted"):
				deleted++
			case a.status == http.StatusNotFound && strings.Contains(a.page, "This link no longer works"):
			default:
				t.Errorf("reader %d, press %d: %d: %.300s", i, j+1, a.status, a.page[max(0, strings.Index(a.page, "<main")):])
			}
		}
		var audits, consents int
		s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'subscriber.erase' AND object_id = $1`, []any{itoa(id)}, &audits)
		s.subsQuery(`SELECT count(*) FROM consents WHERE action = 'erase' AND subscriber_id = $1`, []any{id}, &consents)
		if deleted == 0 || audits != 1 || consents != 1 {
			t.Errorf("reader %d: told %d times the data is deleted; the erasure recorded %d times in the audit log and %d in the consents, want once",
				i, deleted, audits, consents)
		}
	}
}

// TestPauseSubmittedTwice: a reader who submits the pause form twice (a
// double click) is paused once: both answers say so, and their record
// holds one pause, not two.
func TestPauseSubmittedTwice(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	if status, got := s.importCSV("email,countries,topics,language\nreader@example.org,MX,,en\n"); status != http.StatusOK || got.Imported != 1 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	id := s.subsID("reader@example.org")
	var tok string
	s.subsQuery(`SELECT token FROM subscribers WHERE id = $1`, []any{id}, &tok)
	b := s.browser()
	csrf := s.csrfToken(b, "/preferences/"+tok)
	for i, a := range twiceAtOnce(func() (int, string) {
		return s.postForm(b, "/preferences/"+tok+"/pause?lang=en", url.Values{"csrf_token": {csrf}, "weeks": {"2"}})
	}) {
		if a.status != http.StatusOK {
			t.Errorf("submit %d: %d: %.300s", i+1, a.status, a.page[max(0, strings.Index(a.page, "<main")):])
		}
	}
	var pauses, paused int
	s.subsQuery(`SELECT count(*) FROM consents WHERE action = 'pause' AND subscriber_id = $1`, []any{id}, &pauses)
	s.subsQuery(`SELECT count(*) FROM subscribers WHERE id = $1 AND paused_until > now()`, []any{id}, &paused)
	if pauses != 1 || paused != 1 {
		t.Errorf("paused %v, with %d pauses recorded; want one", paused == 1, pauses)
	}
}
