package digest

import (
	"encoding/json"
	"math"
)

// DecodeSections reads a digest's sections as stored (edition_groups'
// sections, as the compile wrote them with encoding/json,
// [{"kind":…,"key":…,"items":[1,2]}] with "fixed":true where it holds,
// or as PostgreSQL printed older ones back from jsonb,
// [{"key": …, "kind": …, "items": [1, 2]}]). The
// send path decodes one per digest, thousands per edition, so the common
// shape is read by hand; anything else (an escape in a string, a field
// it does not know, a number that is not a plain integer) falls back to
// encoding/json, which decides.
func DecodeSections(raw []byte) ([]Section, error) {
	if secs, ok := decodeSectionsFast(raw); ok {
		return secs, nil
	}
	var secs []Section
	err := json.Unmarshal(raw, &secs)
	return secs, err
}

// sectionScanner reads the simple JSON of sections; ok false means
// "not that simple", never "invalid".
type sectionScanner struct {
	b  []byte
	i  int
	ok bool
}

func decodeSectionsFast(raw []byte) ([]Section, bool) {
	s := &sectionScanner{b: raw, ok: true}
	var out []Section
	s.expect('[')
	if s.peek() == ']' {
		s.i++
		return []Section{}, s.end()
	}
	for s.ok {
		out = append(out, s.section())
		if s.peek() == ',' {
			s.i++
			continue
		}
		s.expect(']')
		break
	}
	return out, s.end()
}

func (s *sectionScanner) section() Section {
	var sec Section
	s.expect('{')
	var seen [4]bool // kind, key, items, fixed
	field := func(i int) {
		if seen[i] {
			s.ok = false // repeated: leave it to encoding/json
		}
		seen[i] = true
		s.expect(':')
	}
	for s.ok {
		switch key := s.str(); key {
		case "kind":
			field(0)
			sec.Kind = s.str()
		case "key":
			field(1)
			sec.Key = s.str()
		case "items":
			field(2)
			sec.Items = s.ints()
		case "fixed":
			field(3)
			sec.Fixed = s.boolean()
		default:
			s.ok = false
		}
		if s.peek() == ',' {
			s.i++
			continue
		}
		s.expect('}')
		break
	}
	if !seen[0] || !seen[1] || !seen[2] {
		s.ok = false // a field missing: leave it to encoding/json
	}
	return sec
}

// boolean reads true or false.
func (s *sectionScanner) boolean() bool {
	s.skipSpace()
	for _, lit := range []string{"true", "false"} {
		if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
			s.i += len(lit)
			return lit == "true"
		}
	}
	s.ok = false
	return false
}

// str reads a string without escapes.
func (s *sectionScanner) str() string {
	s.expect('"')
	start := s.i
	for s.ok && s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			v := string(s.b[start:s.i])
			s.i++
			return v
		case c == '\\' || c < 0x20:
			s.ok = false
		}
		s.i++
	}
	s.ok = false
	return ""
}

// ints reads an array of plain integers.
func (s *sectionScanner) ints() []int64 {
	s.expect('[')
	out := []int64{}
	if s.peek() == ']' {
		s.i++
		return out
	}
	for s.ok {
		n, ok := s.int()
		if !ok {
			s.ok = false
			return nil
		}
		out = append(out, n)
		if s.peek() == ',' {
			s.i++
			continue
		}
		s.expect(']')
		break
	}
	return out
}

// int reads an integer as JSON writes one (no leading zeros), that fits
// an int64.
func (s *sectionScanner) int() (int64, bool) {
	s.skipSpace()
	neg := s.i < len(s.b) && s.b[s.i] == '-'
	if neg {
		s.i++
	}
	start := s.i
	var n int64
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		d := int64(s.b[s.i] - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
		s.i++
	}
	if s.i == start || s.b[start] == '0' && s.i > start+1 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func (s *sectionScanner) skipSpace() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\n' || s.b[s.i] == '\t' || s.b[s.i] == '\r') {
		s.i++
	}
}

// peek returns the next byte after blanks, 0 at the end.
func (s *sectionScanner) peek() byte {
	s.skipSpace()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *sectionScanner) expect(c byte) {
	if s.peek() != c {
		s.ok = false
		return
	}
	s.i++
}

// end reports whether all went well and nothing but blanks is left.
func (s *sectionScanner) end() bool {
	s.skipSpace()
	return s.ok && s.i == len(s.b)
}
