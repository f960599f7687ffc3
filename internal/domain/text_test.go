package domain

import "testing"

func TestStorableText(t *testing.T) {
	for s, want := range map[string]bool{"": true, "plain": true, "Curaçao": true, "a\x00b": false, "a\xffb": false} {
		if got := StorableText(s); got != want {
			t.Errorf("StorableText(%q) = %v, want %v", s, got, want)
		}
	}
	if name, ok := UnstorableField(map[string][]string{"q": {"fine"}, "address": {"fine", "a\x00b"}}); !ok || name != "address" {
		t.Errorf("UnstorableField: %q, %v; want address", name, ok)
	}
	if name, ok := UnstorableField(map[string][]string{"a\x00b": {"fine"}}); !ok || name != "ab" {
		t.Errorf("UnstorableField of a bad name: %q, %v", name, ok)
	}
	if _, ok := UnstorableField(map[string][]string{"q": {"fine"}}); ok {
		t.Error("UnstorableField of plain fields: found one")
	}
}
