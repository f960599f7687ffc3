package tagging

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []word
	}{
		{"México", []word{{"mexico", true, false, 0, 7}}},
		{"US-Mexico", []word{{"us", true, true, 0, 2}, {"mexico", true, false, 3, 9}}},
		{"d’Ivoire", []word{{"d", false, false, 0, 1}, {"ivoire", true, false, 4, 10}}},
		{"niños, COVID-19", []word{{"ninos", false, false, 0, 6}, {"covid", true, true, 8, 13}, {"19", false, true, 14, 16}}},
		{"Mexico\u0301", []word{{"mexico", true, false, 0, 8}}}, // an accent typed as a combining mark
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := words(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Invalid UTF-8 in text to tag splits words and never panics.
func TestWordsInvalidUTF8(t *testing.T) {
	got := words("M\xe9xico\xff")
	if len(got) != 2 || got[0].text != "m" || got[1].text != "xico" {
		t.Errorf("got %+v", got)
	}
}
