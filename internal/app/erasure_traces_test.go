package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/app"
	"newsdigest/internal/tasks"
)

// TestErasureLeavesNoAddressBehind: a relay refuses a confirmation mail
// with a 550 reply that quotes the address (recorded as the sign-up's
// hard bounce, with the reply), and an editor test-sends a subscriber's
// digest ("as subscriber") to an address the relay refuses the same way
// (the task ends in the queue's archive). Once both people are erased,
// the address is nowhere: not in Redis (task payloads and their errors
// included), not in web's or the worker's log at info level, not in the
// audit log, not in the database.
func TestErasureLeavesNoAddressBehind(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	s := startStackLogged(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"}, logs)
	const refused, reader = "refused.person@example.org", "reader.person@example.org"
	s.smtp.Reject = func(rcpt string) error {
		if strings.EqualFold(rcpt, refused) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
				Message: "<" + refused + ">: Recipient address rejected: user " + refused + " unknown"}
		}
		return nil
	}
	s.subscribeAndConfirm(reader, []string{"CR"})
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": refused, "countries": []string{"CR"}}, nil, http.StatusAccepted)

	// The owner previews the reader's digest and test-sends it to the
	// refused address.
	owner := newLoginClient(s, "192.0.2.30")
	if resp, page := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d %.300s", resp.StatusCode, page)
	}
	if resp, page := owner.post("/admin/editions/preview", "/admin/editions/test-send",
		url.Values{"email": {reader}, "to": {refused}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("test send: %d %.300s", resp.StatusCode, page)
	}

	// The confirmation bounces the sign-up; the test send is refused for
	// good and archived, as the queue keeps it.
	opt, err := app.RedisOpt(s.cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		archived, _ := insp.ListArchivedTasks(tasks.QueueCritical)
		types := map[string]bool{}
		for _, a := range archived {
			types[a.Type] = true
		}
		status, _ := subscriberState(t, s, refused)
		if status == "bounced" && types[tasks.TypeTestSend] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60s the sign-up is %s and the archive holds %d tasks, want it bounced and the refused test send", status, len(archived))
		}
		time.Sleep(50 * time.Millisecond)
	}

	for _, addr := range []string{refused, reader} {
		s.jsonCall("POST", "/api/v1/subscribers/"+itoa(subscriberRow(t, s, addr).ID)+"/erase", nil, nil, http.StatusOK)
	}
	s.waitQueuesIdle()

	for _, addr := range []string{refused, reader} {
		local := strings.Split(addr, "@")[0]
		for _, where := range redisDump(t, s.cfg.RedisURL) {
			if strings.Contains(strings.ToLower(where), local) {
				t.Errorf("after erasure Redis still holds %s: %.400s", addr, where)
			}
		}
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(strings.ToLower(line), local) {
				t.Errorf("after erasure the log holds %s: %.400s", addr, line)
			}
		}
		for _, row := range databaseText(t, s) {
			if strings.Contains(strings.ToLower(row), local) {
				t.Errorf("after erasure the database holds %s: %.400s", addr, row)
			}
		}
	}
}

// redisDump returns every key of the test's Redis with what it holds, as
// text: strings, hashes, lists, sets and sorted sets.
func redisDump(t *testing.T, raw string) []string {
	t.Helper()
	opt, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range keys {
		var v any
		switch typ, _ := rdb.Type(ctx, k).Result(); typ {
		case "string":
			v, err = rdb.Get(ctx, k).Result()
		case "hash":
			v, err = rdb.HGetAll(ctx, k).Result()
		case "list":
			v, err = rdb.LRange(ctx, k, 0, -1).Result()
		case "set":
			v, err = rdb.SMembers(ctx, k).Result()
		case "zset":
			v, err = rdb.ZRange(ctx, k, 0, -1).Result()
		default:
			v = typ
		}
		if err != nil && err != redis.Nil {
			t.Fatalf("read %s: %v", k, err)
		}
		out = append(out, fmt.Sprintf("%s = %q", k, fmt.Sprint(v)))
	}
	return out
}

// databaseText returns every row of every table of the stack's database
// as text.
func databaseText(t *testing.T, s *stack) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, table := range tables {
		rows, err := conn.Query(ctx, `SELECT t::text FROM `+pgx.Identifier{table}.Sanitize()+` t`)
		if err != nil {
			t.Fatal(err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range texts {
			out = append(out, table+": "+r)
		}
	}
	return out
}
