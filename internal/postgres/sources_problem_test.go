package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

// TestPollProblemIsKept: a failed poll keeps, beside the English
// last_error, the words the console says it with (format, arguments
// with their types, the document's faults, the cause), and the sources
// list and the dashboard read them back; an error recorded without them
// reads back with none.
func TestPollProblemIsKept(t *testing.T) {
	t.Parallel()
	db := openSourcesDB(t)
	ctx := context.Background()
	src, err := db.CreateSource(ctx, domain.NewSource{URL: "https://news.example.org/list.txt", Kind: "listing", Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	problem := domain.PollProblem{
		Words: domain.NewWords("the listing has %d unreadable line(s); nothing was imported", 2),
		Lines: []domain.PollLine{{Line: 3, Code: "date_unreadable", Arg: "32 Foo", Message: `unreadable date "32 Foo"`},
			{Line: 9, Message: "no title"}},
		Detail: "eof",
	}
	if err := db.RecordPoll(ctx, src.ID, domain.PollOutcome{Err: "the listing has 2 unreadable line(s)…", Problem: problem}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Source(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(problem, got.LastProblem); diff != "" {
		t.Errorf("stored problem (-recorded +read):\n%s", diff)
	}
	if got.LastProblem.Words.Text() != "the listing has 2 unreadable line(s); nothing was imported" {
		t.Errorf("the words read back say %q", got.LastProblem.Words.Text())
	}
	d, err := db.Dashboard(ctx, 5, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.SourceErrors) != 1 || d.SourceErrors[0].Kind != "listing" {
		t.Fatalf("dashboard source errors: %+v", d.SourceErrors)
	}
	if diff := cmp.Diff(problem, d.SourceErrors[0].Problem); diff != "" {
		t.Errorf("dashboard's problem (-recorded +read):\n%s", diff)
	}

	// An error with no words (as recorded before they were kept).
	if err := db.RecordPoll(ctx, src.ID, domain.PollOutcome{Err: "GET …: HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Source(ctx, src.ID); err != nil || got.LastError != "GET …: HTTP 500" ||
		got.LastProblem.Words.Format != "" || len(got.LastProblem.Lines) != 0 || got.LastProblem.Detail != "" {
		t.Errorf("an error without words: %+v, %v", got, err)
	}
}
