package mail

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/testenv"
)

// TestRateLimiterSharesOneRate: two limiters (two workers) on one key
// together let through no more than the rate. Time is read off Redis-booked
// slots, not asserted against the wall clock's speed.
func TestRateLimiterSharesOneRate(t *testing.T) {
	t.Parallel()
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	const rate = 50.0
	var limiters []*RateLimiter
	for range 2 {
		l, err := NewRateLimiter(rdb, "test:rate", rate)
		if err != nil {
			t.Fatal(err)
		}
		limiters = append(limiters, l)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	var stamps []time.Time
	var wg sync.WaitGroup
	// begin is before the first slot was reserved: the bound below is
	// measured from it, not from the first send's stamp, which a busy
	// machine may take late and so make the span look short.
	begin := time.Now()
	for _, l := range limiters {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					if err := l.Wait(ctx); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					stamps = append(stamps, time.Now())
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if len(stamps) != 40 {
		t.Fatalf("%d sends, want 40", len(stamps))
	}
	last := stamps[0]
	for _, s := range stamps {
		if s.After(last) {
			last = s
		}
	}
	// 40 slots at 50/s span at least 39 intervals (780 ms) after the
	// first, which was reserved after begin; a send is never stamped
	// before its slot, so this holds however loaded the machine is.
	if min := time.Duration(39 * float64(time.Second) / rate); last.Sub(begin) < min {
		t.Errorf("40 sends took %s; a shared rate of %.0f/s needs at least %s", last.Sub(begin), rate, min)
	}
	if _, err := NewRateLimiter(rdb, "x", 0); err == nil {
		t.Error("a zero rate was accepted")
	}
}
