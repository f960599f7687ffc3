package tagging

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// entrepreneurship is a theme no phrase rule knows: only the model can
// learn that the desk files it under integration.
func modelExamples() []Example {
	var out []Example
	for i, place := range []string{"Tijuana", "San José", "Tapachula", "Panama City", "Santo Domingo", "Monterrey"} {
		out = append(out,
			Example{Lang: "en", Title: fmt.Sprintf("Entrepreneurship fair for refugees in %s", place),
				Summary: "Refugee entrepreneurs showed their businesses to local buyers.", Topics: []string{"integration"}},
			Example{Lang: "en", Title: fmt.Sprintf("Hurricane season drill in %s", place),
				Summary: fmt.Sprintf("Evacuation drill number %d.", i), Topics: []string{"emergencies"}},
			Example{Lang: "en", Title: fmt.Sprintf("Returnees receive support in %s", place),
				Summary: "Returnees received kits.", Topics: []string{"return-reintegration"}},
		)
	}
	return out
}

func TestModelAddsWhatRulesMiss(t *testing.T) {
	tg := newTestTagger(t)
	title, summary := "Entrepreneurship fair opens in Guatemala City", "Refugee entrepreneurs sold their products."
	if got := tg.Tag(title, summary, "en").Topics; len(got) != 0 {
		t.Fatalf("the rules alone tag %v; the test needs a theme they miss", got)
	}
	tg.SetModel(Train(modelExamples(), tg.Topics(), time.Time{}))
	got := tg.Tag(title, summary, "en")
	if diff := cmp.Diff([]string{"integration"}, got.Topics); diff != "" {
		t.Fatalf("topics with the model (-want +got):\n%s", diff)
	}
	why := got.Reasons.Topics["integration"]
	if !strings.HasPrefix(why, "model: ") || !strings.Contains(why, "entrepreneurs") {
		t.Errorf("reason %q does not name the words that weighed", why)
	}
	// A strong phrase still decides, with its own reason.
	if got := tg.Tag("Hurricane drill in Tijuana", "", "en"); got.Reasons.Topics["emergencies"] != "phrase: Hurricane" {
		t.Errorf("rule reason replaced: %v", got.Reasons.Topics)
	}
}

func TestTrainIsDeterministicAndStores(t *testing.T) {
	tg := newTestTagger(t)
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	a, b := Train(modelExamples(), tg.Topics(), at), Train(modelExamples(), tg.Topics(), at)
	ja, err := MarshalModel(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, _ := MarshalModel(b)
	if string(ja) != string(jb) {
		t.Error("two trainings on the same examples differ")
	}
	back, err := UnmarshalModel(ja)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, back, cmp.AllowUnexported(topicWeights{})); diff != "" {
		t.Errorf("model changed through storage (-want +got):\n%s", diff)
	}
	if a.Examples != len(modelExamples()) || a.Topics["integration"] == nil || a.Topics["health"] != nil {
		t.Errorf("trained on %d examples, topics %v: want every example, and no model for a topic without examples", a.Examples, len(a.Topics))
	}
	if _, err := UnmarshalModel([]byte("{")); err == nil {
		t.Error("a broken stored model was read")
	}
}

func TestSeedExamplesRead(t *testing.T) {
	items, err := SeedExamples()
	if err != nil || len(items) < 150 {
		t.Fatalf("seed examples: %d, %v", len(items), err)
	}
	if _, err := ReadExamples(strings.NewReader("en\tMX\t-\n")); err == nil {
		t.Error("a short line was read")
	}
	if _, err := ReadExamples(strings.NewReader("fr\tMX\t-\t-\tT\tS\n")); err == nil {
		t.Error("a line in French was read")
	}
}
