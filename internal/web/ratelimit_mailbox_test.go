package web

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/ratelimit"
	"newsdigest/internal/testenv"
)

// TestConfirmMailsPerGmailInbox: the spellings Gmail delivers to one
// inbox (its dots, googlemail.com, a +tag, capitals) share that inbox's
// CONFIRM_MAILS_PER_DAY; another inbox keeps its own.
func TestConfirmMailsPerGmailInbox(t *testing.T) {
	t.Parallel()
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	l := newSignupLimiter(&config.Config{SecretKey: []byte("3f0c9a5e7b1d4c2a8e6f0b9d7c5a3e1f"), ConfirmMailsPerDay: 3}, rdb)
	ctx := context.Background()
	for i, addr := range []string{"v.ictim@gmail.com", "vi.ctim@gmail.com", "victim+x@googlemail.com", "V.I.C.T.I.M@gmail.com", "vic.tim@googlemail.com"} {
		err := l.AllowAddress(ctx, addr)
		var limited *limitedError
		switch {
		case i < 3 && err != nil:
			t.Errorf("sign-up %d (%s): %v, want it allowed", i+1, addr, err)
		case i >= 3 && !errors.As(err, &limited):
			t.Errorf("sign-up %d (%s): %v, want the inbox's limit", i+1, addr, err)
		}
	}
	for _, addr := range []string{"victim@example.org", "v.ictim@example.org", "other@gmail.com"} {
		if err := l.AllowAddress(ctx, addr); err != nil {
			t.Errorf("%s, another inbox: %v", addr, err)
		}
	}
}

// TestSignupLimitAwaySaysSoOnce: with the counters' Redis away, a
// sign-up's limit is unavailable, said once in a sign-up's words with the
// cause after them, not the counter's words as well.
func TestSignupLimitAwaySaysSoOnce(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	l := &signupLimiter{counts: ratelimit.New(rdb, []byte("0123456789abcdef")), perIP: 5, perAddress: 5}
	err := l.AllowIP(context.Background(), "192.0.2.1")
	if err == nil {
		t.Fatal("the limit answered with its Redis away")
	}
	if got := err.Error(); !strings.HasPrefix(got, "sign-ups are unavailable for a moment; please try again shortly: rate limit: ") ||
		strings.Count(got, "unavailable for a moment") != 1 {
		t.Errorf("the limit's error reads %q", got)
	}
}
