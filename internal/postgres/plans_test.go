package postgres_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// planner is one connection of a test database on which statements are
// planned as the worker runs them: prepared, with the generic plan a
// prepared statement keeps.
type planner struct {
	t    *testing.T
	ctx  context.Context
	db   *postgres.DB
	conn *pgxpool.Conn
}

func newPlanner(t *testing.T) *planner {
	t.Helper()
	ctx := context.Background()
	db := testenv.Database(t)
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Release)
	p := &planner{t: t, ctx: ctx, db: db, conn: conn}
	p.exec(`SET plan_cache_mode = force_generic_plan`)
	return p
}

func (p *planner) exec(sql string, args ...any) {
	p.t.Helper()
	if _, err := p.conn.Exec(p.ctx, sql, args...); err != nil {
		p.t.Fatalf("%s: %v", sql, err)
	}
}

// allVisible vacuums table again until its pages are all marked visible,
// with a deadline. A VACUUM leaves a page unmarked while a snapshot older
// than its rows is open in the database, such as an autovacuum worker's
// ANALYZE of the rows the test wrote before, which a loaded machine runs
// just then; the plans of index-only scans depend on the mark.
func (p *planner) allVisible(table string) {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var pages, visible int
		if err := p.conn.QueryRow(p.ctx, `SELECT relpages, relallvisible FROM pg_class WHERE oid = $1::regclass`, table).Scan(&pages, &visible); err != nil {
			p.t.Fatal(err)
		}
		if visible >= pages {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: %d of %d pages all visible after vacuuming for a minute", table, visible, pages)
		}
		p.exec(`VACUUM ` + table)
	}
}

// plan prepares sql as name (its parameters of types) and returns the
// lines of EXPLAIN (options) of executing it with args.
func (p *planner) plan(name, types, sql, options, args string) []string {
	p.t.Helper()
	params, values := "", ""
	if types != "" { // a statement without parameters takes no parentheses
		params, values = "("+types+")", "("+args+")"
	}
	p.exec(fmt.Sprintf(`PREPARE %s%s AS %s`, name, params, sql))
	explain := "EXPLAIN"
	if options != "" {
		explain += " (" + options + ")"
	}
	rows, err := p.conn.Query(p.ctx, fmt.Sprintf(`%s EXECUTE %s%s`, explain, name, values))
	if err != nil {
		p.t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			p.t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		p.t.Fatal(err)
	}
	return lines
}

func joinLines(lines []string) string { return strings.Join(lines, "\n") }

// scan is one read of the deliveries in a plan: how (Seq Scan, Index
// Scan, Index Only Scan, Bitmap Index Scan) and through which index
// ("" for the table itself).
type scan struct{ kind, index string }

var deliveryScan = regexp.MustCompile(`(Index Only Scan|Index Scan|Seq Scan)(?: Backward)? (?:using (\S+) )?on deliveries\b|(Bitmap Index Scan) on (deliveries\S*)`)

// deliveryScans lists the plan's reads of the deliveries, for the tests
// that allow a query only the indexes of what it asks for.
func deliveryScans(plan string) []scan {
	var out []scan
	for _, m := range deliveryScan.FindAllStringSubmatch(plan, -1) {
		out = append(out, scan{kind: m[1] + m[3], index: m[2] + m[4]})
	}
	return out
}
