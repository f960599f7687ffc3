package ingest

import (
	"slices"
	"testing"
)

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  plain  text \t", "plain text"},
		{"no\u00a0break\u202fspaces\u00a0", "no break spaces"},
		{"\uFEFFbom and zero\u200bwidth", "bom and zerowidth"},
		{"line\r\nbreaks\n", "line breaks"},
		{"“Migrating Informed” – Dajabón", "“Migrating Informed” – Dajabón"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := CleanText(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []word
	}{
		{"México", []word{{"mexico", true, false}}},
		{"US-Mexico", []word{{"us", true, true}, {"mexico", true, false}}},
		{"d’Ivoire", []word{{"d", false, false}, {"ivoire", true, false}}},
		{"niños, COVID-19", []word{{"ninos", false, false}, {"covid", true, true}, {"19", false, true}}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := words(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
