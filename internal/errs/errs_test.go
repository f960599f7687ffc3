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
