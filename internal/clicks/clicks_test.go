package clicks

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

// TestLinks: a story link names its edition and story under a MAC; any
// change to it, or another key, is refused.
func TestLinks(t *testing.T) {
	l := NewLinks("https://news.example.org/", secret)
	u := l.StoryURL(42, 7)
	prefix := "https://news.example.org/r/"
	if !strings.HasPrefix(u, prefix) || !strings.HasSuffix(u, "/"+StampPlaceholder) {
		t.Fatalf("StoryURL = %q", u)
	}
	link := strings.TrimSuffix(strings.TrimPrefix(u, prefix), "/"+StampPlaceholder)
	if e, i, ok := l.ParseLink(link); !ok || e != 42 || i != 7 {
		t.Fatalf("ParseLink(%q) = %d, %d, %v", link, e, i, ok)
	}
	mac := link[strings.LastIndex(link, ".")+1:]
	for _, bad := range []string{
		"42.8." + mac, "43.7." + mac, "42.7." + strings.ToUpper(mac[:1]) + mac[1:] + "x", "42.7", "", "42.7." + mac + ".1",
		"-1.7." + mac, "42.7.", "0x2a.7." + mac,
	} {
		if _, _, ok := l.ParseLink(bad); ok {
			t.Errorf("ParseLink(%q) accepted", bad)
		}
	}
	other := NewLinks("https://news.example.org", []byte("another key of thirty-two bytes!"))
	if _, _, ok := other.ParseLink(link); ok {
		t.Error("a link signed with another key is accepted")
	}
}

// TestStamps: a stamp is as long as its placeholder, carries its send
// time, differs in every message, and a changed one is refused.
func TestStamps(t *testing.T) {
	if len(StampPlaceholder) != StampLen {
		t.Fatalf("the placeholder has %d characters, a stamp %d", len(StampPlaceholder), StampLen)
	}
	l := NewLinks("https://x.example", secret)
	at := time.Date(2026, 3, 2, 7, 0, 5, 0, time.UTC)
	a, b := l.NewStamp(at), l.NewStamp(at)
	if len(a) != StampLen || a == b {
		t.Fatalf("stamps %q and %q", a, b)
	}
	sent, keyA, ok := l.ParseStamp(a)
	if !ok || !sent.Equal(at) {
		t.Fatalf("ParseStamp = %v, %v", sent, ok)
	}
	_, keyB, _ := l.ParseStamp(b)
	if string(keyA) == string(keyB) || strings.Contains(string(keyA), a) {
		t.Error("two messages share a key, or the key is the stamp")
	}
	tampered := []byte(a)
	tampered[3] ^= 1
	for _, bad := range []string{string(tampered), a[:StampLen-1], StampPlaceholder, ""} {
		if _, _, ok := l.ParseStamp(bad); ok {
			t.Errorf("ParseStamp(%q) accepted", bad)
		}
	}
}

// TestLinksAfterAChangeOfKey: with SECRET_KEY changed and the old one
// kept as SECRET_KEY_PREVIOUS, the links and stamps of mail sent before
// still read; new ones are signed with the new key alone.
func TestLinksAfterAChangeOfKey(t *testing.T) {
	current := []byte("another key of thirty-two bytes!")
	before := NewLinks("https://news.example.org", secret)
	after := NewLinks("https://news.example.org", current, secret)
	alone := NewLinks("https://news.example.org", current)
	at := time.Date(2026, 3, 2, 7, 0, 5, 0, time.UTC)
	oldLink, oldStamp := before.linkPart(42, 7), before.NewStamp(at)
	if e, i, ok := after.ParseLink(oldLink); !ok || e != 42 || i != 7 {
		t.Errorf("a link signed before the change: %d, %d, %v", e, i, ok)
	}
	if sent, _, ok := after.ParseStamp(oldStamp); !ok || !sent.Equal(at) {
		t.Errorf("a stamp made before the change: %v, %v", sent, ok)
	}
	newLink, newStamp := after.linkPart(42, 7), after.NewStamp(at)
	if _, _, ok := alone.ParseLink(newLink); !ok {
		t.Error("a link signed after the change does not read with the new key alone")
	}
	if _, _, ok := alone.ParseStamp(newStamp); !ok {
		t.Error("a stamp made after the change does not read with the new key alone")
	}
	if _, _, ok := before.ParseLink(newLink); ok {
		t.Error("a link signed after the change reads with the old key")
	}
}

// TestDecide: one count per story per message; a burst of clicks on one
// message counts nothing and takes back what it had counted.
func TestDecide(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var st domain.ClickNonce
	step := func(story int64, at time.Time) domain.ClickDecision {
		d := Decide(st, story, at)
		st = d.Next
		return d
	}
	if d := step(1, t0); !d.Count {
		t.Fatal("the first click does not count")
	}
	if d := step(1, t0.Add(time.Minute)); d.Count {
		t.Error("a second click on the story of one message counts")
	}
	if d := step(2, t0.Add(2*time.Minute)); !d.Count {
		t.Error("another story of the message does not count")
	}
	// A scanner: BurstClicks clicks within BurstWindow.
	at := t0.Add(time.Hour)
	var last domain.ClickDecision
	for i := range BurstClicks {
		last = step(int64(10+i), at.Add(time.Duration(i)*time.Second))
		if i < BurstClicks-1 && !last.Count {
			t.Fatalf("click %d of the burst is not counted yet", i)
		}
	}
	want := []int64{1, 2, 10, 11, 12}
	if last.Count || !st.Burst || !cmp.Equal(want[:2+BurstClicks-1], last.Uncount) {
		t.Errorf("burst: count %v, burst %v, uncount %v; want uncount %v", last.Count, st.Burst, last.Uncount, want[:2+BurstClicks-1])
	}
	if d := step(99, at.Add(time.Hour)); d.Count || len(d.Uncount) > 0 {
		t.Error("a message clicked in a burst counts again")
	}
}

// TestIsScanner: the list's scanners, tools and an empty agent are
// scanners; browsers are not.
func TestIsScanner(t *testing.T) {
	for ua, want := range map[string]bool{
		"": true,
		"Mozilla/5.0 (compatible; Barracuda Sentinel)":                                    true,
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 HeadlessChrome/120": true,
		"Go-http-client/1.1":    true,
		"curl/8.5.0":            true,
		"Microsoft Office/16.0": true,
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36":  false,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1": false,
	} {
		if got := IsScanner(ua); got != want {
			t.Errorf("IsScanner(%q) = %v, want %v", ua, got, want)
		}
	}
}
