package deploy_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestRestoreAsDocumented runs the Docker Compose restore of
// docs/operations.md, as written, against a database of the test's own
// (its `docker compose exec -T postgres` commands, run here on the
// test's PostgreSQL). The dump is the backup taken before an upgrade;
// the upgrade then made a table and a function the dump does not have,
// as a migration does. Restored, the database is the dump's: nothing of
// the upgrade stays behind, and the migrations then run again from the
// dump's version, as they do when web and the workers start, without
// meeting what is already there.
func TestRestoreAsDocumented(t *testing.T) {
	raw := testenv.DatabaseURL(t)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	exec1 := func(sql string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec1(`INSERT INTO editors (email, password_hash) VALUES ('before@example.org', 'x')`)

	dump := filepath.Join(t.TempDir(), "newsdigest.dump")
	if out, err := exec.Command("pg_dump", "-d", raw, "-Fc", "-f", dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	// The upgrade after the backup: what a newer migration makes.
	exec1(`CREATE TABLE made_by_upgrade (id bigint PRIMARY KEY);
		CREATE FUNCTION made_by_upgrade_fn() RETURNS integer LANGUAGE sql AS 'SELECT 1'`)

	cmds := documentedRestore(t)
	ran := 0
	for _, args := range cmds {
		prog, rest := args[0], args[1:]
		var stdin io.Reader
		var run []string
		for i := 0; i < len(rest); i++ {
			switch a := rest[i]; {
			case a == "-U" && i+1 < len(rest):
				i++
				run = append(run, "-h", u.Hostname(), "-p", portOf(u), "-U", u.User.Username())
			case a == "<" && i+1 < len(rest):
				i++
				f, err := os.Open(dump)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				stdin = f
			case a == "newsdigest":
				run = append(run, strings.TrimPrefix(u.Path, "/"))
			default:
				run = append(run, a)
			}
		}
		cmd := exec.CommandContext(ctx, prog, run...)
		cmd.Stdin = stdin
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", prog, strings.Join(run, " "), err, out.String())
		}
		ran++
	}
	if ran == 0 {
		t.Fatal("docs/operations.md: no `docker compose ... exec -T postgres` command in the Docker Compose restore")
	}

	conn, err := pgx.Connect(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left []string
	rows, err := conn.Query(ctx, `SELECT 'table ' || relname FROM pg_class WHERE relname = 'made_by_upgrade'
		UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proname = 'made_by_upgrade_fn'`)
	if err != nil {
		t.Fatal(err)
	}
	if left, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("after the documented restore the database still has what the upgrade made after the dump: %v; "+
			"the migrations that made them would fail on them when they run again", left)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM editors WHERE email = 'before@example.org'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the dump's editor: %d rows (%v), want 1", n, err)
	}
	db := testenv.Open(t, raw)
	if err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Errorf("the migrations after the restore: %v", err)
	}
}

// documentedRestore reads the commands of the Docker Compose restore in
// docs/operations.md that run in the postgres service: each is the
// command after `docker compose ... exec -T postgres`, split into words.
func documentedRestore(t *testing.T) [][]string {
	t.Helper()
	raw, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, "\nRestore ")
	if start < 0 {
		t.Fatal("docs/operations.md: no paragraph beginning `Restore `")
	}
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(doc[start:])
	if block == nil {
		t.Fatal("docs/operations.md: no sh block after `Restore `")
	}
	var cmds [][]string
	text := strings.ReplaceAll(block[1], "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "#" {
			if len(cmds) > 0 && len(f) > 0 {
				return cmds // the next example, not Docker Compose's
			}
			continue
		}
		if len(f) < 8 || f[0] != "docker" || f[1] != "compose" || f[4] != "exec" || f[5] != "-T" {
			continue // stop, up: nothing to do here
		}
		if f[6] == "postgres" {
			cmds = append(cmds, f[7:])
		}
	}
	return cmds
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return "5432"
}
