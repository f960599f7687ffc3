package items

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
)

// noNames is DNS that knows no name.
type noNames struct{}

func (noNames) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return nil, &net.DNSError{Err: "no such host", Name: host, Server: "10.255.255.53:53", IsNotFound: true}
}

// TestPollMessageKeepsItsWords: a failed poll is recorded in English for
// the API, and in parts for the console: the message's format and
// arguments, what Go said behind it, and a document's faults by line
// with their codes.
func TestPollMessageKeepsItsWords(t *testing.T) {
	t.Parallel()
	f := ingest.NewFetcher(ingest.FetcherConfig{Resolver: noNames{}})
	_, err := f.Fetch(context.Background(), "http://feed.invalid/rss.xml", ingest.Validators{})
	msg, p := pollMessage(err, domain.SourceFeed)
	if !strings.HasPrefix(msg, "feed.invalid: no server has this name (") || !strings.Contains(msg, "no such host") ||
		p.Words.Format != "%s: no server has this name" || p.Words.Text() != "feed.invalid: no server has this name" ||
		!strings.Contains(p.Detail, "no such host") {
		t.Errorf("unknown name: %q, %+v", msg, p)
	}

	_, lines, err := ingest.ParseListing(strings.NewReader("32 Foo, 2020\nA title\n"))
	if err != nil || len(lines) == 0 {
		t.Fatalf("listing: %v, %v", lines, err)
	}
	bad := errs.New(errs.Invalid, "the listing has %d unreadable line(s); nothing was imported", len(lines))
	bad.Details = lines
	msg, p = pollMessage(bad, domain.SourceListing)
	if !strings.HasPrefix(msg, "the listing has 1 unreadable line(s); nothing was imported: line 1: ") ||
		p.Words.Text() != "the listing has 1 unreadable line(s); nothing was imported" ||
		len(p.Lines) != 1 || p.Lines[0].Line != 1 || p.Lines[0].Code == "" || p.Lines[0].Message != lines[0].Message {
		t.Errorf("unreadable listing: %q, %+v", msg, p)
	}
}
