package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/errs"
)

// Windows of the sign-up limits: SIGNUP_RATE_PER_IP counts a minute,
// CONFIRM_MAILS_PER_DAY a day.
const (
	ipWindow      = time.Minute
	addressWindow = 24 * time.Hour
)

// signupLimiter caps sign-ups per client IP and per address with counters
// in Redis, so every web process shares them. Keys hold a keyed hash
// (HMAC with SECRET_KEY) of the IP or address, never the value itself:
// Redis is not where personal data is kept, and without the key the hash
// cannot be reversed by trying addresses.
//
// It fails closed: with Redis down a sign-up answers 503. A sign-up
// cannot work without Redis anyway (its confirmation mail is queued
// there), and failing open would let a flood through exactly when the
// counters are gone.
type signupLimiter struct {
	rdb        *redis.Client
	key        []byte
	perIP      int // a minute; 0: no limit
	perAddress int // a day
}

// newSignupLimiter counts through rdb.
func newSignupLimiter(cfg *config.Config, rdb *redis.Client) *signupLimiter {
	return &signupLimiter{
		rdb:        rdb,
		key:        cfg.SecretKey,
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

// count adds one to a fixed-window counter and returns the count and the
// time left in the window. The first hit of a window sets its expiry;
// Lua makes the two one step, so a counter never outlives its window.
var count = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

// take counts one request against key; a *limitedError past limit.
func (l *signupLimiter) take(ctx context.Context, key string, limit int, window time.Duration) error {
	res, err := count.Run(ctx, l.rdb, []string{key}, window.Milliseconds()).Int64Slice()
	if err != nil || len(res) != 2 {
		return errs.Wrap(errs.Unavailable, fmt.Errorf("sign-up limit: %w", err),
			"sign-ups are unavailable for a moment; please try again shortly")
	}
	if res[0] > int64(limit) {
		return &limitedError{retryAfter: time.Duration(res[1]) * time.Millisecond}
	}
	return nil
}

// AllowIP counts a sign-up from a client IP. IPv6 clients are counted by
// their /64, which one household or host usually holds whole.
func (l *signupLimiter) AllowIP(ctx context.Context, ip string) error {
	if l.perIP <= 0 {
		return nil
	}
	return l.take(ctx, "newsdigest:signup:ip:"+l.hash("ip", ipBucket(ip)), l.perIP, ipWindow)
}

// AllowEstimate counts a request for the form's estimate from a client
// IP, apart from its sign-ups, against estimatesPerMinute.
func (l *signupLimiter) AllowEstimate(ctx context.Context, ip string) error {
	return l.take(ctx, "newsdigest:estimate:ip:"+l.hash("estimate", ipBucket(ip)), estimatesPerMinute, ipWindow)
}

// AllowAddress counts a sign-up for a (normalised) address, whatever its
// status: subscription.Service asks it about every valid request. A
// refusal says to wait the whole window, not what is left of it: that
// would tell a stranger when someone else first signed the address up.
func (l *signupLimiter) AllowAddress(ctx context.Context, email string) error {
	err := l.take(ctx, "newsdigest:signup:address:"+l.hash("address", strings.ToLower(email)), l.perAddress, addressWindow)
	var limited *limitedError
	if errors.As(err, &limited) {
		limited.retryAfter = addressWindow
	}
	return err
}

// hash is the HMAC of a value, kept apart by its kind.
func (l *signupLimiter) hash(kind, v string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte("newsdigest signup " + kind + "\x00" + v))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// ipBucket is what one client's IP counts as: the address, or its /64.
func ipBucket(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
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
	if m := int((d + time.Minute - 1) / time.Minute); m <= 1 {
		return msg(lang, "wait_minute")
	} else if m <= 60 {
		return fmt.Sprintf(msg(lang, "wait_minutes"), m)
	}
	return fmt.Sprintf(msg(lang, "wait_hours"), int((d+time.Hour-1)/time.Hour))
}
