package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ratelimit"
)

// Windows of the sign-up limits: SIGNUP_RATE_PER_IP counts a minute,
// CONFIRM_MAILS_PER_DAY a day.
const (
	ipWindow      = time.Minute
	addressWindow = 24 * time.Hour
)

// signupLimiter caps sign-ups per client and per mailbox with the shared
// counters of package ratelimit (keyed hashes in Redis, never the IP or
// the address). It fails closed: with Redis down a sign-up answers 503.
// A sign-up cannot work without Redis anyway (its confirmation mail is
// queued there).
type signupLimiter struct {
	counts     *ratelimit.Limiter
	perIP      int // a minute; 0: no limit
	perAddress int // a day
}

// newSignupLimiter counts through rdb.
func newSignupLimiter(cfg *config.Config, rdb redis.UniversalClient) *signupLimiter {
	return &signupLimiter{
		counts:     ratelimit.New(rdb, cfg.SecretKey),
		perIP:      cfg.SignupRatePerIP,
		perAddress: cfg.ConfirmMailsPerDay,
	}
}

// limitedError is a request refused by a limit until RetryAfter passes.
type limitedError struct {
	retryAfter time.Duration
}

func (e *limitedError) Error() string {
	return fmt.Sprintf("too many sign-up requests; try again in %d seconds", retrySeconds(e.retryAfter))
}

// retrySeconds is a Retry-After value: whole seconds, at least one.
func retrySeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// take counts one request against key; a *limitedError past limit.
func (l *signupLimiter) take(ctx context.Context, key string, limit int, window time.Duration) error {
	v, err := l.counts.Take(ctx, key, limit, window)
	if err != nil {
		// Said in a sign-up's words, instead of the counter's own, not
		// after them: the log reads "sign-ups are unavailable…: rate
		// limit: dial tcp…".
		if cause := errors.Unwrap(err); cause != nil {
			err = cause
		}
		return errs.Wrap(errs.Unavailable, err, "sign-ups are unavailable for a moment; please try again shortly")
	}
	if !v.Allowed {
		return &limitedError{retryAfter: v.Left}
	}
	return nil
}

// signupsPerNetwork is how many clients' sign-ups an IPv6 /48 may make
// a minute, all its /64s together: a site is given a /48, so one sender
// can take a fresh /64 for every sign-up and be a new client each time
// (and mail as many strangers), but not a fresh /48. A few clients'
// worth, for an office whose people share one network.
const signupsPerNetwork = 3

// AllowIP counts a sign-up from a client, as ratelimit.ClientBucket says
// who a client is (an IPv6 address counts by its /64), and from an IPv6
// client's /48 as well (ratelimit.NetworkBucket).
func (l *signupLimiter) AllowIP(ctx context.Context, ip string) error {
	if l.perIP <= 0 {
		return nil
	}
	if err := l.take(ctx, l.counts.Key("signup:ip", ratelimit.ClientBucket(ip)), l.perIP, ipWindow); err != nil {
		return err
	}
	if network := ratelimit.NetworkBucket(ip); network != "" {
		return l.take(ctx, l.counts.Key("signup:network", network), signupsPerNetwork*l.perIP, ipWindow)
	}
	return nil
}

// AllowEstimate counts a request for the form's estimate from a client,
// apart from its sign-ups, against estimatesPerMinute.
func (l *signupLimiter) AllowEstimate(ctx context.Context, ip string) error {
	return l.take(ctx, l.counts.Key("estimate:ip", ratelimit.ClientBucket(ip)), estimatesPerMinute, ipWindow)
}

// AllowAddress counts a sign-up for a (normalised) address, whatever its
// status: subscribers.Service.Subscribe asks it about every valid
// request. It counts the mailbox (domain.Mailbox), so that victim+1@…,
// victim+2@… and VICTIM@…, and at Gmail v.ictim@… and vi.ctim@…, share
// one allowance and the form cannot flood one inbox through the other
// spellings of its address. A refusal says to wait the whole window,
// not what is left of it: that would tell a stranger when someone else
// first signed the address up.
func (l *signupLimiter) AllowAddress(ctx context.Context, email string) error {
	err := l.take(ctx, l.counts.Key("signup:address", domain.Mailbox(email)), l.perAddress, addressWindow)
	var limited *limitedError
	if errors.As(err, &limited) {
		limited.retryAfter = addressWindow
	}
	return err
}

// apiSignupFail answers a sign-up through the API that failed: a limit is
// 429 with Retry-After, anything else as apiFail.
func (s *Server) apiSignupFail(c *gin.Context, err error) {
	var le *limitedError
	if errors.As(err, &le) {
		c.Header("Retry-After", strconv.Itoa(retrySeconds(le.retryAfter)))
		apiStatus(c, http.StatusTooManyRequests, "rate_limited", le.Error())
		return
	}
	s.apiFail(c, err)
}

// pageSignupFail answers a sign-up through the form that failed: a limit
// is 429 with Retry-After and a page in the reader's language saying how
// long to wait, anything else as pageFail.
func (s *Server) pageSignupFail(c *gin.Context, lang string, err error) {
	var le *limitedError
	if !errors.As(err, &le) {
		s.pageFail(c, lang, err)
		return
	}
	c.Header("Retry-After", strconv.Itoa(retrySeconds(le.retryAfter)))
	s.renderPageStatus(c.Writer, c.Request, http.StatusTooManyRequests, "error", pageData{
		Lang: lang, Title: msg(lang, "rate_limited_title"),
		Message: fmt.Sprintf(msg(lang, "rate_limited"), waitWords(lang, le.retryAfter)),
	})
	c.Abort()
}

// waitWords says how long d is, roughly, in lang: minutes up to an hour,
// hours past it.
func waitWords(lang string, d time.Duration) string {
	if m := max(int((d+time.Minute-1)/time.Minute), 1); m <= 60 {
		return msgN(lang, "wait_minutes", m)
	}
	return msgN(lang, "wait_hours", int((d+time.Hour-1)/time.Hour))
}
