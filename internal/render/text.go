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
		b.WriteByte('\n')
	}
	// Exactly one final newline, kept by slicing rather than added by
	// copying: a digest's text is tens of kilobytes.
	out := strings.TrimRight(b.String(), "\n")
	if len(out) < b.Len() {
		return b.String()[:len(out)+1]
	}
	return out + "\n"
}

// wrapLines wraps the long lines of s and leaves everything else, blank
// lines included, as it is.
func wrapLines(s string, width int) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/32)
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if len(line) <= width { // bytes ≥ runes: short enough for sure
			b.WriteString(line)
			continue
		}
		wrapLine(&b, line, width)
	}
	return b.String()
}

// wrapLine writes line wrapped at width, without a final newline.
func wrapLine(b *strings.Builder, line string, width int) {
	if len(line) <= width || utf8.RuneCountInString(line) <= width {
		b.WriteString(line)
		return
	}
	rest := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(rest)]
	hang := indent
	if strings.HasPrefix(rest, "* ") || strings.HasPrefix(rest, "- ") {
		hang += "  "
	}
	words := strings.Fields(rest)
	b.WriteString(indent)
	b.WriteString(words[0])
	n := utf8.RuneCountInString(indent) + utf8.RuneCountInString(words[0])
	for _, w := range words[1:] {
		wn := utf8.RuneCountInString(w)
		if n+1+wn > width {
			b.WriteByte('\n')
			b.WriteString(hang)
			b.WriteString(w)
			n = len(hang) + wn
			continue
		}
		b.WriteByte(' ')
		b.WriteString(w)
		n += 1 + wn
	}
}
