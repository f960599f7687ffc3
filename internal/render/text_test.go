package render

import (
	"strings"
	"testing"
	"unicode/utf8"

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
		{
			"no break at a no-break space",
			strings.Repeat("mot ", 17) + "a courriel\u00a0: fin",
			strings.Repeat("mot ", 17) + "a\ncourriel\u00a0: fin\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tidyText(tt.in, textWidth)); diff != "" {
				t.Errorf("tidyText (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkTidyText tidies a big digest's text, as every digest's is once
// its stories, each wrapped already, are put together.
func BenchmarkTidyText(b *testing.B) {
	r := mustNew(b)
	m, err := r.Digest(bigDigest("es"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(m.Text)))
	b.ReportAllocs()
	for b.Loop() {
		tidyText(m.Text, textWidth)
	}
}

// tidyTextLineByLine is tidyText as its comment says it, a line at a time:
// the fast one copies the lines that stay as they are in runs, and must
// give the same.
func tidyTextLineByLine(s string, width int) string {
	var b strings.Builder
	blank := true
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			if !blank {
				b.WriteByte('\n')
			}
			blank = true
			continue
		}
		blank = false
		words := strings.Fields(line)
		if len(line) <= width || utf8.RuneCountInString(line) <= width || len(words) == 1 && strings.TrimLeft(line, " ") == words[0] {
			b.WriteString(line)
		} else {
			wrapLine(&b, line, width)
		}
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func FuzzTidyText(f *testing.F) {
	long := "https://example.org/" + strings.Repeat("a", 80)
	for _, s := range []string{"", "a", "a\n", "\n\na\n\n\n\nb  \n\n", "  " + strings.Repeat("word ", 20),
		"* " + strings.Repeat("word ", 20), "see " + long + " now", "  " + long + "\n\n", strings.Repeat("é", 79) + " x",
		"a\r\n\r\nb\t\n", " \n \n", long + "\u00a0" + long} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		if got, want := tidyText(s, textWidth), tidyTextLineByLine(s, textWidth); got != want {
			t.Errorf("tidyText(%q)\n got %q\nwant %q", s, got, want)
		}
	})
}
