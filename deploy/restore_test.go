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

// TestBackupAsDocumented runs the backup of docs/operations.md that is
// not Docker Compose's ("anywhere pg_dump reaches the database"), as
// written, in a shell whose DATABASE_URL is the one newsdigest runs with
// (make-secrets.sh's has pool_max_conns, as the docs' sizing advises)
// and whose pg_service.conf names the database. libpq refuses the pgx
// pool settings, and a URL on pg_dump's command line would show its
// password in the process list: the documented way must work without
// either.
func TestBackupAsDocumented(t *testing.T) {
	raw := testenv.DatabaseURL(t)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "## Backup and restore")
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(text[max(start, 0):])
	if start < 0 || block == nil {
		t.Fatal("docs/operations.md: no sh block under Backup and restore")
	}
	_, anywhere, ok := strings.Cut(block[1], "# anywhere")
	if !ok {
		t.Fatal("docs/operations.md: no backup for `anywhere pg_dump reaches the database`")
	}
	_, anywhere, _ = strings.Cut(anywhere, "\n") // the rest of the comment's line
	var script []string
	for _, line := range strings.Split(strings.ReplaceAll(anywhere, "\\\n", " "), "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "(") {
			script = append(script, l)
		}
	}
	if len(script) == 0 {
		t.Fatal("docs/operations.md: the `anywhere` backup has no command")
	}
	dir := t.TempDir()
	service := filepath.Join(dir, "pg_service.conf")
	if err := os.WriteFile(service, []byte("[newsdigest]\nhost="+u.Hostname()+"\nport="+portOf(u)+
		"\ndbname="+strings.TrimPrefix(u.Path, "/")+"\nuser="+u.User.Username()+"\nsslmode=disable\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-euc", strings.Join(script, "\n"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DATABASE_URL="+raw+"&pool_max_conns=8", "PGSERVICEFILE="+service)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(script, "; "), err, out)
	}
	dumps, _ := filepath.Glob(filepath.Join(dir, "*.dump"))
	if len(dumps) != 1 {
		t.Fatalf("the backup wrote %v, want one .dump", dumps)
	}
	if out, err := exec.Command("pg_restore", "--list", dumps[0]).CombinedOutput(); err != nil || !strings.Contains(string(out), "editors") {
		t.Errorf("pg_restore --list %s: %v\n%.500s", dumps[0], err, out)
	}
}
