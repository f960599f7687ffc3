package ingest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"newsdigest/internal/errs"
)

// A failed fetch is said for the editor who registered the source, in
// words that name what went wrong rather than Go's ('Get "…": lookup
// feed.invalid on 10.0.0.53:53: no such host' is "feed.invalid: no
// server has this name"). Each is an errs.Error made from an English
// format, which the console finds in its catalogue to say it in its own
// language; the Go error stays behind it as the technical detail.

// addressRefusal is the message of an *AddressError.
const addressRefusal = "not fetched from %s: a %s address, which this server does not fetch from unless its operator allows private networks (INGEST_ALLOW_PRIVATE_NETWORKS, see the README)"

// fetchError says why a request to u failed; err is what the HTTP client
// returned.
func fetchError(u *url.URL, err error) error {
	var e *errs.Error
	if errors.As(err, &e) {
		return e // said already (a redirect refused)
	}
	host := u.Host
	var ue *url.Error
	if errors.As(err, &ue) {
		if at, perr := url.Parse(ue.URL); perr == nil && at.Host != "" {
			host = at.Host // after a redirect, the host that failed
		}
	}
	var ae *AddressError
	var de *net.DNSError
	switch {
	case errors.As(err, &ae):
		return errs.New(errs.Unavailable, addressRefusal, ae.where(), ae.Reason).Because(err)
	case errors.As(err, &de) && de.IsNotFound:
		return errs.New(errs.Unavailable, "%s: no server has this name", hostName(host)).Because(err)
	case errors.As(err, &de):
		return errs.New(errs.Unavailable, "%s: the name could not be looked up (DNS is not answering)", hostName(host)).Because(err)
	case isTimeout(err):
		return errs.New(errs.Unavailable, "%s: timed out waiting for the server", host).Because(err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return errs.New(errs.Unavailable, "%s: the server refused the connection", host).Because(err)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return errs.New(errs.Unavailable, "%s: the server cannot be reached from here", host).Because(err)
	case isCertificateError(err):
		return errs.New(errs.Unavailable, "%s: the server's certificate is not valid, so the connection is not safe", host).Because(err)
	case isTLSError(err):
		return errs.New(errs.Unavailable, "%s: the secure connection (TLS) failed", host).Because(err)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.New(errs.Unavailable, "%s: the server closed the connection before answering", host).Because(err)
	}
	return errs.New(errs.Unavailable, "%s: could not be fetched", host).Because(err)
}

// statusError says that the server at rawURL answered with a status
// other than success.
func statusError(rawURL string, code int, status string) error {
	cause := fmt.Errorf("GET %s: HTTP %s", rawURL, status)
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return errs.New(errs.Unavailable, "%s: the server refuses access (HTTP %d)", rawURL, code).Because(cause)
	case code == http.StatusNotFound || code == http.StatusGone:
		return errs.New(errs.Unavailable, "%s: nothing at this address (HTTP %d)", rawURL, code).Because(cause)
	case code == http.StatusTooManyRequests:
		return errs.New(errs.Unavailable, "%s: the server asks to be polled less often (HTTP %d)", rawURL, code).Because(cause)
	case code >= 500:
		return errs.New(errs.Unavailable, "%s: the server failed (HTTP %d)", rawURL, code).Because(cause)
	}
	return errs.New(errs.Unavailable, "%s: the server answered HTTP %d", rawURL, code).Because(cause)
}

// MaxRetryAfter bounds how long a server's Retry-After is followed: a
// longer one ("come back next year") is as likely a mistake, and an
// editor can always ask for a poll at once.
const MaxRetryAfter = 7 * 24 * time.Hour

// WaitError is a fetch refused for now (HTTP 429 or 503) by a server
// that said, in Retry-After, how long to wait before asking again. It is
// the fetch's error as any other, with the wait to keep.
type WaitError struct {
	error
	Wait time.Duration
}

func (e *WaitError) Unwrap() error { return e.error }

// AskedToWait returns how long the server behind err asked to be left
// alone (its Retry-After), 0 when it did not.
func AskedToWait(err error) time.Duration {
	var we *WaitError
	if errors.As(err, &we) {
		return we.Wait
	}
	return 0
}

// retryAfter reads a Retry-After header, seconds or an HTTP date, as a
// wait from now, at most MaxRetryAfter; 0 when there is none, it cannot
// be read or it is past.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var wait time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		wait = time.Duration(min(secs, int64(MaxRetryAfter/time.Second))) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		wait = at.Sub(now)
	}
	return max(0, min(wait, MaxRetryAfter))
}

// tooLarge says that the answer at rawURL is past the limit of max bytes.
func tooLarge(rawURL string, max int64) error {
	if max >= 1<<20 && max%(1<<20) == 0 {
		return errs.New(errs.TooLarge, "%s: the answer is larger than %d MiB", rawURL, max>>20)
	}
	return errs.New(errs.TooLarge, "%s: the answer is larger than %d bytes", rawURL, max)
}

// hostName is host without its port, which a name lookup does not use.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

func isCertificateError(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &authority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

func isTLSError(err error) bool {
	var (
		header tls.RecordHeaderError
		alert  tls.AlertError
	)
	return errors.As(err, &header) || errors.As(err, &alert)
}

// where names the address refused: the name asked for and the address
// it led to, or the address alone.
func (e *AddressError) where() string {
	where := e.Addr.String()
	if e.Host != "" && e.Host != where {
		where = fmt.Sprintf("%s (%s)", e.Host, where)
	}
	return where
}
