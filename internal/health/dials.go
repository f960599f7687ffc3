package health

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/redis/go-redis/v9"
)

// RedisDials remembers why a Redis client last failed to connect. A
// check that runs out of time sees only its deadline: go-redis dials
// again and again within it (a refused connection, an unknown host), and
// returns the context's error, not the dial's, which is the one that
// says what to mend. Add it to the client with AddHook.
type RedisDials struct {
	mu   sync.Mutex
	last error // nil once a dial succeeded
}

// DialHook records each dial's outcome.
func (d *RedisDials) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := next(ctx, network, addr)
		// A dial given up because the caller's time ran out says nothing
		// new: the failure before it is the one to keep.
		if err == nil || ctx.Err() == nil {
			d.mu.Lock()
			d.last = err
			d.mu.Unlock()
		}
		return c, err
	}
}

// ProcessHook leaves commands as they are.
func (d *RedisDials) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

// ProcessPipelineHook leaves pipelines as they are.
func (d *RedisDials) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// Explain returns err, with the last failed dial's error added when err
// is only a deadline or a cancellation.
func (d *RedisDials) Explain(err error) error {
	if err == nil || !(errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		return err
	}
	d.mu.Lock()
	last := d.last
	d.mu.Unlock()
	if last == nil {
		return err
	}
	return fmt.Errorf("%w; the last try to connect: %w", err, last)
}
