package render

import (
	"strings"
	"unicode/utf8"
)

// textWidth is the longest line the plain-text part aims for: short enough
// for any mail client, with room for a "> " when someone quotes it.
const textWidth = 78

// tidyText trims trailing blanks from each line, squeezes runs of blank
// lines into one, and wraps lines longer than width at spaces. A word longer
// than width (a URL, usually) gets a line of its own and is never split.
// A wrapped line keeps its indentation, and the continuation of a "* " or
// "- " bullet lines up with the bullet's text.
func tidyText(s string, width int) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/32)
	blank := true // drop blank lines at the start
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
		wrapLine(&b, line, width)
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func wrapLine(b *strings.Builder, line string, width int) {
	if utf8.RuneCountInString(line) <= width {
		b.WriteString(line)
		b.WriteByte('\n')
		return
	}
	rest := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(rest)]
	hang := indent
	if strings.HasPrefix(rest, "* ") || strings.HasPrefix(rest, "- ") {
		hang += "  "
	}
	words := strings.Fields(rest)
	cur, n := indent+words[0], utf8.RuneCountInString(indent+words[0])
	for _, w := range words[1:] {
		wn := utf8.RuneCountInString(w)
		if n+1+wn > width {
			b.WriteString(cur)
			b.WriteByte('\n')
			cur, n = hang+w, len(hang)+wn
			continue
		}
		cur += " " + w
		n += 1 + wn
	}
	b.WriteString(cur)
	b.WriteByte('\n')
}
