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
	// Most lines stay as they are: s[run:at] holds those not yet written,
	// copied in one go when a line that changes comes.
	run := 0
	for at := 0; at < len(s); {
		end := len(s)
		if j := strings.IndexByte(s[at:], '\n'); j >= 0 {
			end = at + j
		}
		line := s[at:end]
		trimmed := trimBlanksRight(line)
		same := end < len(s) // the last line lacks its newline
		if trimmed == "" {
			same = same && line == "" && !blank
		} else {
			same = same && len(trimmed) == len(line) && fits(line, width)
		}
		if !same {
			b.WriteString(s[run:at])
			if trimmed != "" {
				wrapLine(&b, trimmed, width)
				b.WriteByte('\n')
			} else if !blank {
				b.WriteByte('\n')
			}
			run = min(end+1, len(s))
		}
		blank = trimmed == ""
		at = end + 1
	}
	b.WriteString(s[run:])
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

// trimBlanksRight is strings.TrimRight(line, " \t\r"), without building
// the cutset's table for each of a digest's thousand lines.
func trimBlanksRight(line string) string {
	i := len(line)
	for i > 0 && (line[i-1] == ' ' || line[i-1] == '\t' || line[i-1] == '\r') {
		i--
	}
	return line[:i]
}

// oneWord reports whether line, after its indentation of spaces, is a
// single word of printable ASCII: a URL on a line of its own, as the
// stories' text has them once wrapped. wrapLine gives such a line back as
// it is, so it need not be split into words to find that out.
func oneWord(line string) bool {
	rest := strings.TrimLeft(line, " ")
	for i := 0; i < len(rest); i++ {
		if rest[i] <= ' ' || rest[i] >= 0x7f {
			return false
		}
	}
	return true
}

// fits reports whether wrapLine leaves line as it is: short enough, or
// a single word.
func fits(line string, width int) bool {
	return len(line) <= width || oneWord(line) || utf8.RuneCountInString(line) <= width
}

// wrapLine writes line wrapped at width, without a final newline, breaking
// it at spaces and tabs only.
func wrapLine(b *strings.Builder, line string, width int) {
	if fits(line, width) {
		b.WriteString(line)
		return
	}
	rest := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(rest)]
	hang := indent
	if strings.HasPrefix(rest, "* ") || strings.HasPrefix(rest, "- ") {
		hang += "  "
	}
	// Only an ordinary space is a place to break: the no-break spaces
	// of the French messages (before ":" and ";", inside guillemets)
	// are part of the word they join, as strings.Fields would not have
	// them.
	words := strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' })
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
