package clicks

import (
	_ "embed"
	"strings"
)

//go:embed scanners.txt
var scannerList string

// scanners are the lower-case substrings of scanners.txt.
var scanners = func() []string {
	var out []string
	for _, line := range strings.Split(scannerList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, strings.ToLower(line))
		}
	}
	return out
}()

// IsScanner reports whether a User-Agent is a link scanner's, a
// prefetcher's or a tool's, or empty (browsers always send one).
func IsScanner(userAgent string) bool {
	ua := strings.ToLower(strings.TrimSpace(userAgent))
	if ua == "" {
		return true
	}
	for _, s := range scanners {
		if strings.Contains(ua, s) {
			return true
		}
	}
	return false
}
