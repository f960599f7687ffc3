package tagging

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// restamp returns a stored model with its version number replaced.
func restamp(t *testing.T, stored []byte, version byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(stored))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(modelMagic)] = version // a one-byte varint
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(raw)
	zw.Close()
	return out.Bytes()
}

// A model stored now keeps the desk's habits. A model stored before the
// desk's layer was added to a held shipped answer (version 1) is read as
// it was trained: its layers add as they
// are, and it is written back as version 1. A version this code does not
// know is refused.
func TestStoredModelVersions(t *testing.T) {
	tg := newTestTagger(t)
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	m := tg.Train(append(modelExamples(), deskSays(4, now, "protection", "return-reintegration")...), now)
	stored, err := MarshalModel(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalModel(stored)
	if err != nil || !back.holdShipped {
		t.Fatalf("a model stored now reads back with holdShipped %v, %v; want true", back != nil && back.holdShipped, err)
	}
	old, err := UnmarshalModel(restamp(t, stored, modelVersionUnheld))
	if err != nil {
		t.Fatalf("a version 1 model: %v", err)
	}
	if old.holdShipped {
		t.Error("a version 1 model reads as holding the shipped layer's answer")
	}
	again, err := MarshalModel(old)
	if err != nil {
		t.Fatal(err)
	}
	if twice, err := UnmarshalModel(again); err != nil || twice.holdShipped {
		t.Errorf("a version 1 model written back reads with holdShipped %v, %v; want false", twice != nil && twice.holdShipped, err)
	}
	if len(back.habits) == 0 || !cmp.Equal(back.habits, m.habits, cmp.AllowUnexported(habit{})) {
		t.Errorf("the desk's habits read back otherwise (-want +got):\n%s", cmp.Diff(m.habits, back.habits, cmp.AllowUnexported(habit{})))
	}
	// A model stored before the habits were kept (version 2) reads as
	// one without them: its changes are explained by words.
	raw := restamp(t, stored, modelVersionNoHabits)
	noHabits, err := UnmarshalModel(raw)
	if err != nil || !noHabits.holdShipped || noHabits.habits != nil {
		t.Fatalf("a version 2 model: %v; want it held and without habits", err)
	}
	tg.SetModel(noHabits)
	if why := tg.Tag("Returnees receive support in Comayagua", "Returnees received kits.", "en").Reasons.Topics["protection"]; !strings.HasPrefix(why, "model: ") {
		t.Errorf("a version 2 model gives protection the reason %q; want the model's words", why)
	}
	// Counts that do not hang together are a damaged model: a reason
	// would quote them ("added to 9 of 3 corrected stories").
	for _, bad := range []*habit{
		{given: 1, kept: 9, with: map[string]int{}, added: map[string]int{}},
		{given: 4, kept: 2, givenUntitled: 5, with: map[string]int{}, added: map[string]int{}},
		{given: 4, kept: 2, givenUntitled: 2, keptUntitled: 3, with: map[string]int{}, added: map[string]int{}},
		{given: 4, kept: 4, givenUntitled: 2, keptUntitled: 1, with: map[string]int{}, added: map[string]int{}},
		{with: map[string]int{"return-reintegration": 3}, added: map[string]int{"return-reintegration": 9}},
	} {
		damaged := *m
		damaged.habits = map[string]*habit{"protection": bad}
		b, err := MarshalModel(&damaged)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := UnmarshalModel(b); err == nil {
			t.Errorf("a model whose habit is %+v was read", *bad)
		}
	}
	if _, err := UnmarshalModel(restamp(t, stored, modelVersion+1)); err == nil {
		t.Error("a model of an unknown version was read")
	}
}
