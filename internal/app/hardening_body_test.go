package app_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// spoolSize is more than the 32 MiB that net/http, gin and gorilla/csrf
// keep of a multipart file in memory: parsed, a part this size goes to a
// temporary file.
const spoolSize = 33 << 20

// TestFormBodiesAreBoundedAndNeverSpooled posts to every form route what
// filled the disk (multipart bodies with a large file) and what passed the
// 64 KiB form limit (large urlencoded bodies, with and without a declared
// length), each with a valid CSRF token: all are refused, nothing is
// written to the database and no temporary file is left. One-click
// unsubscribe still takes urlencoded and multipart posts without a cookie.
func TestFormBodiesAreBoundedAndNeverSpooled(t *testing.T) {
	w := startWeb(t, nil)
	s := w.stack
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": "pending@example.org", "countries": []string{"CR"}, "language": "en", "mode": "any",
	}, nil, http.StatusAccepted)
	if status, body := s.do("POST", "/api/v1/subscribers/import", "text/csv",
		[]byte("email,countries,topics,language\nactive@example.org,CR,,en\nleaver@example.org,CR,,en\n"), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	pending, active, leaver := subscriberRow(t, s, "pending@example.org"), subscriberRow(t, s, "active@example.org"), subscriberRow(t, s, "leaver@example.org")
	if pending == nil || pending.Confirm == nil || active == nil || leaver == nil {
		t.Fatalf("set-up rows: %+v %+v %+v", pending, active, leaver)
	}

	// Only now, so that starting the services above wrote nothing there.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	for _, f := range []struct {
		name, page, path string
		fields           url.Values
		unchanged        func() bool // what a refused post must leave as it was
	}{
		{"subscribe", "/", "/subscribe",
			url.Values{"email": {"intruder@example.org"}, "countries": {"GT"}, "language": {"en"}, "mode": {"any"}},
			func() bool { return subscriberRow(t, s, "intruder@example.org") == nil }},
		{"confirm", "/confirm/" + *pending.Confirm, "/confirm/" + *pending.Confirm, url.Values{},
			func() bool { return subscriberRow(t, s, "pending@example.org").Status == "pending" }},
		{"preferences", "/preferences/" + active.Token, "/preferences/" + active.Token,
			url.Values{"countries": {"GT"}, "language": {"en"}, "mode": {"any"}},
			func() bool { return slices.Equal(subscriberRow(t, s, "active@example.org").Countries, []string{"CR"}) }},
	} {
		t.Run(f.name, func(t *testing.T) {
			b := s.browser()
			fields := url.Values{"csrf_token": {s.csrfToken(b, f.page)}}
			for k, v := range f.fields {
				fields[k] = v
			}
			u, _ := url.Parse(s.base + f.path)
			cookies := b.Jar.Cookies(u)
			big := url.Values{"pad": {strings.Repeat("x", 100<<10)}}
			for k, v := range fields {
				big[k] = v
			}
			for _, tc := range []struct {
				what   string
				ct     string
				body   io.Reader
				length int64
				want   int
			}{
				{"multipart form", multipartType, multipartBody(fields, 0), -1, http.StatusUnsupportedMediaType},
				{"multipart with a large file", multipartType, multipartBody(fields, spoolSize), -1, http.StatusUnsupportedMediaType},
				{"urlencoded over 64 KiB", formType, strings.NewReader(big.Encode()), int64(len(big.Encode())), http.StatusRequestEntityTooLarge},
				{"urlencoded over 64 KiB, chunked", formType, strings.NewReader(big.Encode()), 0, http.StatusRequestEntityTooLarge},
			} {
				if status, body := rawPost(t, s.base, f.path, tc.ct, cookies, tc.body, tc.length); status != tc.want {
					t.Errorf("%s: status %d, want %d: %.300s", tc.what, status, tc.want, body)
				}
				if !f.unchanged() {
					t.Errorf("%s: a refused post changed the database", tc.what)
				}
			}
			// The same form, small and urlencoded, still goes through.
			body := fields.Encode()
			if status, page := rawPost(t, s.base, f.path, formType, cookies, strings.NewReader(body), int64(len(body))); status != http.StatusOK {
				t.Errorf("the plain form: status %d, want 200: %.300s", status, page)
			}
			if f.unchanged() {
				t.Error("the plain form changed nothing")
			}
		})
	}

	t.Run("one-click unsubscribe", func(t *testing.T) {
		oneClick := url.Values{"List-Unsubscribe": {"One-Click"}}
		path := "/unsubscribe/" + active.Token
		if status, body := rawPost(t, s.base, path, multipartType, nil, multipartBody(oneClick, spoolSize), -1); status != http.StatusRequestEntityTooLarge {
			t.Errorf("multipart one-click with a large file: %d, want 413: %.300s", status, body)
		}
		if st := subscriberRow(t, s, "active@example.org").Status; st != "active" {
			t.Fatalf("after a refused one-click post the subscriber is %s", st)
		}
		if status, body := rawPost(t, s.base, path, multipartType, nil, multipartBody(oneClick, 0), -1); status != http.StatusOK {
			t.Errorf("multipart one-click: %d, want 200: %.300s", status, body)
		}
		body := oneClick.Encode()
		if status, page := rawPost(t, s.base, "/unsubscribe/"+leaver.Token, formType, nil, strings.NewReader(body), int64(len(body))); status != http.StatusOK {
			t.Errorf("urlencoded one-click: %d, want 200: %.300s", status, page)
		}
		for _, addr := range []string{"active@example.org", "leaver@example.org"} {
			if st := subscriberRow(t, s, addr).Status; st != "unsubscribed" {
				t.Errorf("%s is %s after one-click unsubscribe", addr, st)
			}
		}
	})

	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left in TMPDIR: %s", e.Name())
	}
}

const formType = "application/x-www-form-urlencoded"

var multipartType = "multipart/form-data; boundary=" + boundary

const boundary = "newsdigest-test-boundary-7d0f"

// multipartBody is fields as multipart/form-data, with a file part of
// fileSize zero bytes when fileSize > 0; the file is streamed, not held.
func multipartBody(fields url.Values, fileSize int64) io.Reader {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	mw.SetBoundary(boundary)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileSize == 0 {
		mw.Close()
		return &head
	}
	mw.CreateFormFile("attachment", "big.bin")
	return io.MultiReader(&head, io.LimitReader(zeros{}, fileSize), strings.NewReader("\r\n--"+boundary+"--\r\n"))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// rawPost posts over a connection of its own, as a hostile client would:
// it goes on sending while reading the answer, and ignores the error when
// the server, having answered, stops reading. length -1 sends the length
// of body when known (a bytes.Buffer or strings.Reader) and else chunked;
// 0 sends it chunked.
func rawPost(t *testing.T, base, path, contentType string, cookies []*http.Cookie, body io.Reader, length int64) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	if length == 0 {
		body = io.MultiReader(body) // hides the length: chunked
	}
	req, err := http.NewRequestWithContext(context.Background(), "POST", base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if length > 0 {
		req.ContentLength = length
	}
	req.Header.Set("Content-Type", contentType)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	go req.Write(conn) // its error is expected once the server refuses
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("POST %s: read the answer: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

// subscriberRowDoc is one subscriber as stored.
type subscriberRowDoc struct {
	ID        int64
	Status    string
	Token     string
	Confirm   *string
	Countries []string
}

// subscriberRow reads the subscriber with email, or returns nil.
func subscriberRow(t *testing.T, s *stack, email string) *subscriberRowDoc {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var r subscriberRowDoc
	err = conn.QueryRow(context.Background(),
		`SELECT id, status, token, confirm_token, countries FROM subscribers WHERE lower(email) = lower($1)`, email).
		Scan(&r.ID, &r.Status, &r.Token, &r.Confirm, &r.Countries)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return &r
}
