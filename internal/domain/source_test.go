package domain

import (
	"strings"
	"testing"
	"time"
)

func TestNewSourceValidate(t *testing.T) {
	for _, tc := range []struct {
		in    NewSource
		field string // "" for valid
	}{
		{NewSource{URL: "https://example.org/feed"}, ""},
		{NewSource{URL: "http://example.org/list.txt", Kind: "listing", Interval: time.Minute}, ""},
		{NewSource{}, "url"},
		{NewSource{URL: "example.org/feed"}, "url"},
		{NewSource{URL: "file:///etc/passwd"}, "url"},
		{NewSource{URL: "https://a:b@example.org/"}, "url"},
		{NewSource{URL: "https://example.org/" + strings.Repeat("a", MaxURLLen)}, "url"},
		{NewSource{URL: "https://example.org/", Kind: "podcast"}, "kind"},
		{NewSource{URL: "https://example.org/", Interval: 59 * time.Second}, "interval"},
		{NewSource{URL: "https://example.org/", Interval: 8 * 24 * time.Hour}, "interval"},
		{NewSource{URL: "https://example.org/", Interval: time.Minute + time.Millisecond}, "interval"},
	} {
		n := tc.in
		n.Normalize()
		err := n.Validate()
		if tc.field == "" && err != nil || tc.field != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.field+":")) {
			t.Errorf("%+v: %v; want error naming %q", tc.in, err, tc.field)
		}
	}
}

func TestNewSourceNormalize(t *testing.T) {
	n := NewSource{URL: " HTTPS://News.Example.ORG/Feed?x=1#top ", Kind: " Feed "}
	n.Normalize()
	if n.URL != "https://news.example.org/Feed?x=1" || n.Kind != SourceFeed || n.Interval != DefaultSourceInterval {
		t.Errorf("normalised to %+v", n)
	}
}

func TestFormatInterval(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "1h", 90 * time.Minute: "1h30m", time.Minute: "1m", 150 * time.Second: "2m30s",
		168 * time.Hour: "168h", time.Hour + time.Second: "1h0m1s",
	} {
		if got := FormatInterval(d); got != want {
			t.Errorf("FormatInterval(%v) = %q, want %q", d, got, want)
		}
	}
}
