package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// consolePages are the console pages an editor opens most, which read the
// largest tables: the dashboard (every subscriber counted by status,
// country and topic), the items list (the newest of the archive), the
// subscribers list and the page of an edition sent to every one of them.
var consolePages = []struct{ name, path string }{
	{"dashboard", "/admin"},
	{"items", "/admin/items"},
	{"subscribers", "/admin/subscribers"},
	{"edition", "/admin/editions/%d"},
}

// BenchmarkConsolePages times the console's pages, one request at a time
// (an editor, not a crowd), against BENCH_CONSOLE_SUBSCRIBERS active
// subscribers (default 1,000,000), BENCH_ARCHIVE stories (default
// 100,000) and an edition sent to every subscriber. It prints each page's
// median and slowest time over BENCH_CONSOLE_REQUESTS requests (default
// 20) after one to warm up. The target is under 100 ms.
func BenchmarkConsolePages(b *testing.B) {
	subscribers := envInt(b, "BENCH_CONSOLE_SUBSCRIBERS", 1000000)
	stories := envInt(b, "BENCH_ARCHIVE", 100000)
	requests := envInt(b, "BENCH_CONSOLE_REQUESTS", 20)
	dir := profileDir(b)
	ctx := context.Background()
	dbURL, db := migratedDB(ctx, b)
	seeded := time.Now()
	if err := seedArchive(ctx, db, stories, rand.New(rand.NewPCG(7, uint64(stories)))); err != nil {
		b.Fatal(err)
	}
	if err := seedSubscribers(ctx, db, subscribers, rand.New(rand.NewPCG(1, uint64(subscribers)))); err != nil {
		b.Fatal(err)
	}
	if err := seedSentEdition(ctx, db); err != nil {
		b.Fatal(err)
	}
	var edition int64
	if err := db.Pool().QueryRow(ctx, `SELECT max(id) FROM editions`).Scan(&edition); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d subscribers, %d stories and an edition to all in %.1fs", subscribers, stories, time.Since(seeded).Seconds())

	const password = "Tq7-vLm2-Rz9x-Kp4w-Hd3n"
	w := startWeb(b, dir, map[string]string{
		"DATABASE_URL":       dbURL,
		"REDIS_URL":          testenv.RedisURL(b),
		"SECRET_KEY":         "e83b15c7a69f24d0b7e2c41a5f93d68c",
		"SMTP_URL":           "smtp://127.0.0.1:2525",
		"ORG_POSTAL_ADDRESS": "Apartado 123-1000, San José, Costa Rica",
		"ADMIN_PASSWORD":     password,
	})
	client := consoleLogin(b, w.base, password)

	lines := []string{fmt.Sprintf("console: %d subscribers, %d stories, %d requests a page, one at a time (%s)",
		subscribers, stories, requests, loadAvgNote())}
	b.ResetTimer()
	for _, p := range consolePages {
		path := p.path
		if strings.Contains(path, "%d") {
			path = fmt.Sprintf(path, edition)
		}
		var times []time.Duration
		for i := 0; i <= requests; i++ {
			start := time.Now()
			resp, err := client.Get(w.base + path)
			if err != nil {
				b.Fatal(err)
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Fatalf("%s: %v %v", path, resp.Status, err)
			}
			if i > 0 { // the first warms the plans and caches
				times = append(times, time.Since(start))
			}
		}
		slices.Sort(times)
		lines = append(lines, fmt.Sprintf("console: %-12s median %8s  slowest %8s", p.name,
			ms(times[len(times)/2]), ms(times[len(times)-1])))
	}
	b.StopTimer()
	loadSummary = append(loadSummary, lines...)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// consoleLogin logs in as the owner through the login form, as a browser
// does, and returns a client holding the session.
func consoleLogin(b *testing.B, base, password string) *http.Client {
	b.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: time.Minute}
	resp, err := client.Get(base + "/admin/login")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		b.Fatalf("no CSRF field on the login page:\n%s", page)
	}
	resp, err = client.PostForm(base+"/admin/login", url.Values{
		"csrf_token": {string(m[1])}, "user": {domain.OwnerAccount}, "password": {password}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/admin" || resp.StatusCode != http.StatusOK {
		b.Fatalf("login: %s, at %s", resp.Status, resp.Request.URL)
	}
	return client
}
