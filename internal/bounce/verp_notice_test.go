package bounce

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestVERPNotices: the envelope sender of a one-off mail names the
// subscriber; it verifies as NoticeID(subscriber), never as a delivery,
// and a delivery's MAC does not make a notice's address (nor the
// reverse).
func TestVERPNotices(t *testing.T) {
	v := testVERP(t)
	for _, id := range []int64{1, 48213, math.MaxInt64} {
		addr := v.NoticeAddress(id)
		if !strings.HasPrefix(addr, "bounces+n") || len(addr[:strings.IndexByte(addr, '@')]) > 64 {
			t.Errorf("NoticeAddress(%d) = %q", id, addr)
		}
		got, err := v.Verify(strings.ToUpper("<" + addr + ">"))
		if sub, ok := NoticeSubscriber(got); err != nil || !ok || sub != id {
			t.Errorf("Verify(NoticeAddress(%d)) = %d, %v: want the notice to %d", id, got, err, id)
		}
		got, err = v.VerifyToken(v.NoticeToken(id))
		if sub, ok := NoticeSubscriber(got); err != nil || !ok || sub != id {
			t.Errorf("VerifyToken(NoticeToken(%d)) = %d, %v", id, got, err)
		}
		if _, ok := NoticeSubscriber(id); ok {
			t.Errorf("delivery %d read as a notice", id)
		}
	}
	// Swapping the kinds' MACs is a forgery.
	_, mac, _ := strings.Cut(v.Token(48213), ".")
	if _, err := v.VerifyToken("n48213." + mac); !errors.Is(err, ErrForged) {
		t.Errorf("a delivery's MAC on a notice's token: %v, want ErrForged", err)
	}
	_, mac, _ = strings.Cut(v.NoticeToken(48213), ".")
	if _, err := v.VerifyToken("48213." + mac); !errors.Is(err, ErrForged) {
		t.Errorf("a notice's MAC on a delivery's token: %v, want ErrForged", err)
	}
	for _, bad := range []string{"n.aaaaaaaaaaaaaaaa", "n0.aaaaaaaaaaaaaaaa", "nn1.aaaaaaaaaaaaaaaa", "n-1.aaaaaaaaaaaaaaaa"} {
		if _, err := v.VerifyToken(bad); !errors.Is(err, ErrNotVERP) {
			t.Errorf("VerifyToken(%q): %v, want ErrNotVERP", bad, err)
		}
	}
}
