package listname

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"newsdigest/internal/errs"
)

// memStore is the names in memory; fail makes every call fail.
type memStore struct {
	mu    sync.Mutex
	names map[string]string
	reads int
	fail  bool
}

func (m *memStore) ListNames(context.Context) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	if m.fail {
		return nil, errors.New("down")
	}
	out := map[string]string{}
	for k, v := range m.names {
		out[k] = v
	}
	return out, nil
}

func (m *memStore) SetListNames(_ context.Context, names map[string]string, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("down")
	}
	for k, v := range names {
		if v == "" {
			delete(m.names, k)
		} else {
			m.names[k] = v
		}
	}
	return nil
}

type audit struct{ details []string }

func (a *audit) Audit(_ context.Context, _, action, _ string, _ any, detail string, args ...any) {
	a.details = append(a.details, action+" "+fmt.Sprintf(detail, args...))
}

// TestDefaultsComeFromMailFromThenTheLanguageFiles: a desk that sets
// nothing keeps MAIL_FROM's name in every language; without one, each
// language file's name of the list.
func TestDefaultsComeFromMailFromThenTheLanguageFiles(t *testing.T) {
	t.Parallel()
	withFrom := New(&memStore{names: map[string]string{}}, nil, "News Digest", nil)
	for _, lang := range []string{"en", "es", "fr"} {
		if got := withFrom.Name(lang); got != "News Digest" {
			t.Errorf("with MAIL_FROM's name, %s is %q", lang, got)
		}
	}
	bare := New(&memStore{names: map[string]string{}}, nil, "", nil)
	if got := bare.Name("es"); got != "Boletín de noticias" {
		t.Errorf("without MAIL_FROM's name, es is %q", got)
	}
}

// TestUpdateChecksAuditsAndShowsAtOnce: a bad name is refused naming its
// language and nothing is written; a good one shows at once in the
// process that set it, is audited with what it was, and a name set back
// to the default is stored as the default.
func TestUpdateChecksAuditsAndShowsAtOnce(t *testing.T) {
	t.Parallel()
	store := &memStore{names: map[string]string{}}
	a := &audit{}
	n := New(store, a, "News Digest", nil)
	ctx := context.Background()
	_ = n.Name("es") // read once: the next reading would wait MaxAge
	err := n.Update(ctx, "ana", map[string]string{"en": "Digest", "es": "Resumen\nsemanal"})
	if errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "(es)") {
		t.Fatalf("a line break: %v", err)
	}
	if len(store.names) != 0 {
		t.Fatalf("a refused update wrote %v", store.names)
	}
	if err := n.Update(ctx, "ana", map[string]string{"es": "  Resumen semanal ", "fr": "News Digest", "xx": ""}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("an unknown language: %v", err)
	}
	if err := n.Update(ctx, "ana", map[string]string{"es": "  Resumen semanal ", "fr": "News Digest"}); err != nil {
		t.Fatal(err)
	}
	if got := n.Name("es"); got != "Resumen semanal" {
		t.Errorf("es is %q right after the update", got)
	}
	if _, ok := store.names["fr"]; ok {
		t.Errorf("the default was stored as a name of its own: %v", store.names)
	}
	if len(a.details) != 1 || !strings.Contains(a.details[0], `es: "News Digest" → "Resumen semanal"`) || strings.Contains(a.details[0], "fr:") {
		t.Errorf("audit: %q", a.details)
	}
	if err := n.Update(ctx, "ana", map[string]string{"es": strings.Repeat("x", MaxLength+1)}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("a name too long: %v", err)
	}
}

// TestADatabaseDownKeepsTheLastNames: a mail is better sent under the
// last name read than not at all, and the database is not asked again
// for every mail while it is down.
func TestADatabaseDownKeepsTheLastNames(t *testing.T) {
	t.Parallel()
	store := &memStore{names: map[string]string{"es": "Resumen"}}
	n := New(store, nil, "News Digest", nil)
	if got := n.Name("es"); got != "Resumen" {
		t.Fatalf("es is %q", got)
	}
	store.mu.Lock()
	store.fail = true
	store.mu.Unlock()
	n.mu.Lock()
	n.readAt = n.readAt.Add(-2 * MaxAge) // old: the next Name reads again
	n.mu.Unlock()
	for range 5 {
		if got := n.Name("es"); got != "Resumen" {
			t.Fatalf("with the database down es is %q", got)
		}
	}
	if store.reads != 2 {
		t.Errorf("the store was read %d times, want 2", store.reads)
	}
}
