// Package logs makes the binaries' logger: log/slog, one line per event,
// as text or as JSON (LOG_FORMAT).
package logs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/redis/go-redis/v9"
)

// New returns a logger writing to w in format ("json", or else text) from
// the info level up, and makes it the default one, so that what still
// writes through package log (a library's messages) comes out in the same
// form. go-redis (under the task queue and the counters too) writes its
// own messages through it as well: by itself it prints them as plain
// text on stderr, one for every failed dial while Redis is down.
func New(w io.Writer, format string) *slog.Logger {
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, nil)
	} else {
		h = slog.NewTextHandler(w, nil)
	}
	l := slog.New(h)
	slog.SetDefault(l)
	redis.SetLogger(redisLogger{l})
	return l
}

// redisLogger is go-redis's logger on a slog.Logger. go-redis gives its
// messages no level. A failed dial is logged at debug: it comes once a
// try while Redis is down, and what the program was doing then says so
// itself (/readyz, the queue's and the counters' errors, `worker check`).
// Anything else go-redis says (a panic recovered, a connection in a state
// it did not expect) is a warning.
type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	msg := strings.TrimSpace(fmt.Sprintf(format, v...))
	level := slog.LevelWarn
	if strings.Contains(msg, "failed to dial") {
		level = slog.LevelDebug
	}
	r.l.Log(ctx, level, msg, "from", "go-redis")
}
