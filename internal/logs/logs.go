// Package logs makes the binaries' logger: log/slog, one line per event,
// as text or as JSON (LOG_FORMAT).
package logs

import (
	"io"
	"log/slog"
)

// New returns a logger writing to w in format ("json", or else text) from
// the info level up, and makes it the default one, so that what still
// writes through package log (a library's messages) comes out in the same
// form.
func New(w io.Writer, format string) *slog.Logger {
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, nil)
	} else {
		h = slog.NewTextHandler(w, nil)
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l
}
