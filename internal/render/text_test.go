package render

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTidyText(t *testing.T) {
	long := "https://example.org/" + strings.Repeat("a", 80)
	tests := []struct {
		name, in, want string
	}{
		{"short lines stay", "a\nb\n", "a\nb\n"},
		{"blank runs squeezed", "\n\na\n\n\n\nb  \n\n", "a\n\nb\n"},
		{
			"wrap keeps indent",
			"  " + strings.Repeat("word ", 20),
			"  word word word word word word word word word word word word word word word\n  word word word word word\n",
		},
		{
			"bullet hangs",
			"* " + strings.Repeat("word ", 20),
			"* word word word word word word word word word word word word word word word\n  word word word word word\n",
		},
		{"long word whole", "see " + long + " now", "see\n" + long + "\nnow\n"},
		{"multibyte counted as runes", strings.Repeat("é", 78), strings.Repeat("é", 78) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tidyText(tt.in, textWidth)); diff != "" {
				t.Errorf("tidyText (-want +got):\n%s", diff)
			}
		})
	}
}
