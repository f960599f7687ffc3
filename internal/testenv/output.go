package testenv

import (
	"bytes"
	"strings"
	"sync"
)

// Output collects a child process's output, which exec copies in from a
// goroutine of its own, while the test may read it. Past Limit bytes (0:
// none) it keeps what it has, enough to say what went wrong.
type Output struct {
	Limit int

	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.Limit > 0 && o.buf.Len() > o.Limit {
		return len(p), nil
	}
	return o.buf.Write(p)
}

// String is what was written, without surrounding blank lines.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.TrimSpace(o.buf.String())
}
