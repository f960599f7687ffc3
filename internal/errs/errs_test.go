package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestNewKeepsItsTemplate(t *testing.T) {
	e := New(Invalid, "countries: unknown country code %q", "XX")
	if e.Message != `countries: unknown country code "XX"` {
		t.Fatalf("Message = %q", e.Message)
	}
	format, args := e.Template()
	if format != "countries: unknown country code %q" || len(args) != 1 || args[0] != "XX" {
		t.Fatalf("Template() = %q, %v", format, args)
	}
}

func TestTemplateOfFindsTheErrorInAChain(t *testing.T) {
	wrapped := fmt.Errorf("create source: %w", New(Invalid, "interval: at least %s", "1m"))
	format, args, ok := TemplateOf(wrapped)
	if !ok || format != "interval: at least %s" || len(args) != 1 || args[0] != "1m" {
		t.Fatalf("TemplateOf = %q, %v, %v", format, args, ok)
	}
	if MessageOf(wrapped) != "interval: at least 1m" {
		t.Fatalf("MessageOf = %q", MessageOf(wrapped))
	}
}

func TestTemplateOfWithoutATemplate(t *testing.T) {
	for name, err := range map[string]error{
		"plain error": errors.New("boom"),
		"wrapped":     Wrap(Unavailable, errors.New("dial"), "database unavailable"),
		"nil":         nil,
	} {
		if format, args, ok := TemplateOf(err); ok || format != "" || args != nil {
			t.Errorf("%s: TemplateOf = %q, %v, %v; want none", name, format, args, ok)
		}
	}
}

func TestBecauseKeepsTheTemplateAndTheCause(t *testing.T) {
	cause := errors.New("lookup feed.invalid: no such host")
	e := New(Unavailable, "%s: no server has this name", "feed.invalid").Because(cause)
	if MessageOf(e) != "feed.invalid: no server has this name" || !errors.Is(e, cause) {
		t.Fatalf("MessageOf = %q, Is(cause) = %v", MessageOf(e), errors.Is(e, cause))
	}
	if format, _, ok := TemplateOf(e); !ok || format != "%s: no server has this name" {
		t.Fatalf("TemplateOf = %q, %v", format, ok)
	}
}
