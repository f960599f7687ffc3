package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// jsonLines fails the test on any line of out that is not a JSON object,
// and returns them.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for line := range strings.Lines(out) {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("not a JSON line: %q", line)
			continue
		}
		lines = append(lines, v)
	}
	return lines
}

// TestGoRedisWritesThroughTheLogger: with LOG_FORMAT=json, what go-redis
// says while Redis is down comes out as JSON lines of the program's
// logger (its failed dials at debug, which the programs do not show),
// not as plain text of its own on stderr.
func TestGoRedisWritesThroughTheLogger(t *testing.T) {
	var out bytes.Buffer
	New(&out, "json")
	ping := func() {
		rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
		defer rdb.Close()
		if err := rdb.Ping(context.Background()).Err(); err == nil {
			t.Fatal("a Redis answered on 127.0.0.1:1")
		}
	}
	ping()
	jsonLines(t, out.String())

	// The same at debug, which shows go-redis's lines.
	out.Reset()
	redis.SetLogger(redisLogger{slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ping()
	var said bool
	for _, l := range jsonLines(t, out.String()) {
		if l["from"] == "go-redis" {
			said = true
			if l["level"] != "DEBUG" || !strings.Contains(l["msg"].(string), "failed to dial") {
				t.Errorf("go-redis's failed dial logged as %v, want at debug", l)
			}
		}
	}
	if !said {
		t.Errorf("go-redis said nothing of its failed dial through the logger:\n%s", out.String())
	}
}
