// Package config reads newsdigest's settings from the environment once, at
// start, and validates them so a bad value stops the program with a line
// naming the variable.
package config

import (
	"fmt"
	"math"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/domain"
)

// Config is every setting of the web and worker binaries.
type Config struct {
	DatabaseURL string
	RedisURL    string
	// Redis is REDIS_URL read: one server, Sentinel or Cluster.
	Redis         *Redis
	SMTP          SMTP
	MailFrom      *mail.Address
	BaseURL       *url.URL
	HTTPAddr      string
	AdminToken    string // empty: the admin API refuses every call
	AdminPassword string // empty: the admin console refuses every login
	SecretKey     []byte
	// SecretKeyPrevious is the SECRET_KEY that SecretKey replaced, if the
	// operator keeps it for a while: what it signed (story links in mail
	// already sent, bounce addresses) still checks, and an address erased
	// under it is still recognised. Nothing new is signed with it.
	SecretKeyPrevious []byte
	DigestCron        cron.Schedule
	DigestCronSpec    string
	DigestTZ          *time.Location
	SMTPConnections   int
	SendRate          float64 // messages per second over all workers; 0 is unlimited
	OrgPostalAddress  string
	// BounceLimit hard bounces mark an address bounced; it is not mailed again.
	BounceLimit int
	// IngestAllowPrivateNetworks lets feed fetching reach private, loopback
	// and link-local addresses (off: a source URL cannot probe the network
	// newsdigest runs in).
	IngestAllowPrivateNetworks bool
	// MetricsAddr is where Prometheus metrics are served, on a listener of
	// their own; empty when METRICS_ADDR is unset (web then uses
	// DefaultWebMetricsAddr, the worker serves none).
	MetricsAddr string
	// TrustedProxies are the CIDRs whose X-Forwarded-For is believed; none
	// by default, so a client cannot choose the IP recorded for it.
	TrustedProxies []netip.Prefix
	// SignupRatePerIP is how many sign-ups one client IP may make a minute
	// (0: no limit).
	SignupRatePerIP int
	// ConfirmMailsPerDay is how many sign-ups one address may have in a
	// day, whatever its status (so a refusal reveals nothing); each may
	// send a confirmation mail, at most one every few minutes.
	ConfirmMailsPerDay int
	// DKIM signs every message; nil when DKIM_* are unset.
	DKIM *DKIM
	// SMTPUnset is true when SMTP_URL was not given: mail then goes to
	// DefaultSMTPURL, a development catcher on loopback, which a
	// production host (or a container) does not have, so nothing leaves.
	// The binaries say so at start (Warnings).
	SMTPUnset bool
	// DigestLateLimit: a scheduled edition whose tick passed longer ago
	// than this (no worker could make it in time) is not sent late; it is
	// recorded as skipped, and its stories go into the next edition.
	DigestLateLimit time.Duration
	// DueCheckEvery (DUE_CHECK_EVERY): how often the worker looks for
	// readers whose own delivery time has come.
	DueCheckEvery time.Duration
	// LogFormat is "text" or "json" (LOG_FORMAT).
	LogFormat string
	// SMTPTimeout bounds each step of an SMTP conversation (SMTP_TIMEOUT).
	SMTPTimeout time.Duration
	// ShutdownTimeout is how long, after SIGTERM, web drains the requests
	// in flight and the worker finishes the sends in flight
	// (SHUTDOWN_TIMEOUT). It is longer than SMTPTimeout, so that a send
	// begun before the signal can end on its own rather than be cut off.
	ShutdownTimeout time.Duration
	// ShutdownDrainDelay is how long, after SIGTERM, web keeps serving
	// with /readyz failing before it stops taking connections
	// (SHUTDOWN_DRAIN_DELAY): the time a load balancer needs to see the
	// failing check and send nothing more. SHUTDOWN_TIMEOUT runs after it.
	ShutdownDrainDelay time.Duration
	// ClickCounting sends story links through /r/ and counts clicks
	// (CLICK_COUNTING, on by default; clicks.go).
	ClickCounting bool
	// StoryMaxAge (STORY_MAX_AGE): a story ingested in an edition's window
	// joins it only if it was published no earlier than this before the
	// window opened; an older one joins when an editor picks it. 0: no
	// bound.
	StoryMaxAge time.Duration
	// Bounce is how bounces and complaints come back (BOUNCE_*, the
	// relays' webhook secrets).
	Bounce Bounce
	// PauseLimits are when a sending edition pauses itself
	// (EDITION_PAUSE_*).
	PauseLimits domain.PauseLimits
}

// SMTP is where and how mail is handed off.
type SMTP struct {
	Host     string
	Port     int
	TLS      string // "none", "starttls" or "implicit"
	Username string
	Password string
}

// Defaults for local development, as DESIGN.md lists them.
const (
	DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/newsdigest?sslmode=disable"
	DefaultRedisURL    = "redis://127.0.0.1:6379/0"
	DefaultSMTPURL     = "smtp://127.0.0.1:1025"
	DefaultMailFrom    = "News Digest <digest@localhost>"
	DefaultBaseURL     = "http://localhost:8080"
	DefaultHTTPAddr    = ":8080"
	DefaultDigestCron  = "0 7 * * 1"
	DefaultDigestTZ    = "UTC"
	// DefaultWebMetricsAddr keeps the web app's metrics on loopback unless
	// METRICS_ADDR says otherwise.
	DefaultWebMetricsAddr = "127.0.0.1:9464"
	// DefaultDigestLateLimit is DIGEST_LATE_LIMIT's default.
	DefaultDigestLateLimit = 24 * time.Hour
	// DefaultDueCheckEvery is DUE_CHECK_EVERY's default.
	DefaultDueCheckEvery = 5 * time.Minute
	// DefaultSMTPTimeout is SMTP_TIMEOUT's default.
	DefaultSMTPTimeout = 30 * time.Second
	// DefaultShutdownTimeout is SHUTDOWN_TIMEOUT's default.
	DefaultShutdownTimeout = 45 * time.Second
	// DefaultShutdownDrainDelay is SHUTDOWN_DRAIN_DELAY's default: two
	// failed checks of a probe every few seconds.
	DefaultShutdownDrainDelay = 5 * time.Second
	// DefaultStoryMaxAge is STORY_MAX_AGE's default: a week, the
	// schedule's own period, before the window opens.
	DefaultStoryMaxAge = 7 * 24 * time.Hour
)

// PreviousSecretKeys are the keys SecretKey replaced that are still
// checked (SECRET_KEY_PREVIOUS), none when it is not set.
func (c *Config) PreviousSecretKeys() [][]byte {
	if c.SecretKeyPrevious == nil {
		return nil
	}
	return [][]byte{c.SecretKeyPrevious}
}

// MinSecretKeyLen is the shortest SECRET_KEY accepted: it signs cookies and
// CSRF tokens, so it must not be guessable.
const MinSecretKeyLen = 32

// MinAdminPasswordLen is the shortest ADMIN_PASSWORD accepted, in characters.
const MinAdminPasswordLen = 12

// Load reads the configuration through getenv (os.Getenv in the binaries, a
// map in tests); the secrets may come from files (FileVariables). The
// error names the variable that is wrong.
func Load(getenv func(string) string) (*Config, error) {
	getenv, err := withFiles(getenv)
	if err != nil {
		return nil, err
	}
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		DatabaseURL:      get("DATABASE_URL", DefaultDatabaseURL),
		RedisURL:         get("REDIS_URL", DefaultRedisURL),
		HTTPAddr:         get("HTTP_ADDR", DefaultHTTPAddr),
		AdminToken:       getenv("ADMIN_TOKEN"),
		AdminPassword:    getenv("ADMIN_PASSWORD"),
		OrgPostalAddress: strings.TrimSpace(getenv("ORG_POSTAL_ADDRESS")),
	}
	if err = checkDatabaseURL(c.DatabaseURL); err != nil {
		return nil, err
	}
	if c.Redis, err = ParseRedis(c.RedisURL); err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	if c.SMTP, err = parseSMTP(get("SMTP_URL", DefaultSMTPURL)); err != nil {
		return nil, err
	}
	c.SMTPUnset = strings.TrimSpace(getenv("SMTP_URL")) == ""
	if c.MailFrom, err = parseMailFrom(get("MAIL_FROM", DefaultMailFrom)); err != nil {
		return nil, err
	}
	if c.BaseURL, err = parseBaseURL(get("BASE_URL", DefaultBaseURL)); err != nil {
		return nil, err
	}
	if err = checkListenAddr("HTTP_ADDR", c.HTTPAddr); err != nil {
		return nil, err
	}
	if c.AdminToken != "" {
		if len(c.AdminToken) < 16 {
			return nil, fmt.Errorf("ADMIN_TOKEN: shorter than 16 characters")
		}
		if err = checkSecret(c.AdminToken, minTokenBits); err != nil {
			return nil, fmt.Errorf("ADMIN_TOKEN: %w", err)
		}
	}
	if c.AdminPassword != "" {
		// The console's owner password: a person types it, so it need not
		// be random, but it must not be short or an example's.
		if utf8.RuneCountInString(c.AdminPassword) < MinAdminPasswordLen {
			return nil, fmt.Errorf("ADMIN_PASSWORD: shorter than %d characters", MinAdminPasswordLen)
		}
		if err = checkPassword(c.AdminPassword); err != nil {
			return nil, fmt.Errorf("ADMIN_PASSWORD: %w", err)
		}
	}
	key := getenv("SECRET_KEY")
	if key == "" {
		return nil, fmt.Errorf("SECRET_KEY: not set (at least %d random characters; `make dev` makes one)", MinSecretKeyLen)
	}
	if len(key) < MinSecretKeyLen {
		return nil, fmt.Errorf("SECRET_KEY: shorter than %d characters", MinSecretKeyLen)
	}
	if err = checkSecret(key, minKeyBits); err != nil {
		return nil, fmt.Errorf("SECRET_KEY: %w", err)
	}
	c.SecretKey = []byte(key)
	// The key it replaces, while mail signed with it is still about:
	// checked, never used to sign (see docs/operations.md, "Changing a
	// secret").
	if prev := getenv("SECRET_KEY_PREVIOUS"); prev != "" {
		switch {
		case len(prev) < MinSecretKeyLen:
			return nil, fmt.Errorf("SECRET_KEY_PREVIOUS: shorter than %d characters", MinSecretKeyLen)
		case prev == key:
			return nil, fmt.Errorf("SECRET_KEY_PREVIOUS: the same as SECRET_KEY; set it to the key SECRET_KEY replaced, or leave it out")
		}
		c.SecretKeyPrevious = []byte(prev)
	}
	c.DigestCronSpec = get("DIGEST_CRON", DefaultDigestCron)
	if c.DigestCron, err = parseDigestCron(c.DigestCronSpec); err != nil {
		return nil, err
	}
	if c.DigestTZ, err = time.LoadLocation(get("DIGEST_TZ", DefaultDigestTZ)); err != nil {
		return nil, fmt.Errorf("DIGEST_TZ: unknown time zone %q", get("DIGEST_TZ", ""))
	}
	if c.DigestLateLimit, err = time.ParseDuration(get("DIGEST_LATE_LIMIT", DefaultDigestLateLimit.String())); err != nil ||
		c.DigestLateLimit < time.Minute {
		return nil, fmt.Errorf("DIGEST_LATE_LIMIT: want a duration such as 24h or 90m, at least 1m")
	}
	if c.DueCheckEvery, err = time.ParseDuration(get("DUE_CHECK_EVERY", DefaultDueCheckEvery.String())); err != nil ||
		c.DueCheckEvery < time.Second || c.DueCheckEvery > 15*time.Minute {
		return nil, fmt.Errorf("DUE_CHECK_EVERY: want a duration such as 5m, from 1s to 15m (readers get their digest within a quarter hour)")
	}
	if c.StoryMaxAge, err = time.ParseDuration(get("STORY_MAX_AGE", DefaultStoryMaxAge.String())); err != nil ||
		(c.StoryMaxAge != 0 && c.StoryMaxAge < time.Hour) {
		return nil, fmt.Errorf("STORY_MAX_AGE: want a duration such as 168h (a week), at least 1h, or 0 for no bound")
	}
	if c.SMTPConnections, err = strconv.Atoi(get("SMTP_CONNECTIONS", "4")); err != nil ||
		c.SMTPConnections < 1 || c.SMTPConnections > 100 {
		return nil, fmt.Errorf("SMTP_CONNECTIONS: want a whole number from 1 to 100")
	}
	if c.SendRate, err = strconv.ParseFloat(get("SEND_RATE", "0"), 64); err != nil || !(c.SendRate >= 0) || math.IsInf(c.SendRate, 0) {
		return nil, fmt.Errorf("SEND_RATE: want a number of messages per second, 0 for unlimited")
	}
	if c.BounceLimit, err = strconv.Atoi(get("BOUNCE_LIMIT", "3")); err != nil || c.BounceLimit < 1 {
		return nil, fmt.Errorf("BOUNCE_LIMIT: want a whole number of at least 1")
	}
	if c.IngestAllowPrivateNetworks, err = strconv.ParseBool(get("INGEST_ALLOW_PRIVATE_NETWORKS", "false")); err != nil {
		return nil, fmt.Errorf("INGEST_ALLOW_PRIVATE_NETWORKS: want true or false")
	}
	c.MetricsAddr = get("METRICS_ADDR", "")
	if c.MetricsAddr != "" {
		if err = checkListenAddr("METRICS_ADDR", c.MetricsAddr); err != nil {
			return nil, err
		}
	}
	if c.TrustedProxies, err = parsePrefixes(get("TRUSTED_PROXIES", "")); err != nil {
		return nil, fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	if c.SignupRatePerIP, err = strconv.Atoi(get("SIGNUP_RATE_PER_IP", "10")); err != nil || c.SignupRatePerIP < 0 {
		return nil, fmt.Errorf("SIGNUP_RATE_PER_IP: want a whole number of sign-ups a minute, 0 for no limit")
	}
	if c.ConfirmMailsPerDay, err = strconv.Atoi(get("CONFIRM_MAILS_PER_DAY", "3")); err != nil || c.ConfirmMailsPerDay < 1 {
		return nil, fmt.Errorf("CONFIRM_MAILS_PER_DAY: want a whole number of at least 1")
	}
	if c.DKIM, err = parseDKIM(getenv, c.MailFrom); err != nil {
		return nil, err
	}
	if err = c.loadLifecycle(get); err != nil {
		return nil, err
	}
	if err = c.loadClicks(get); err != nil {
		return nil, err
	}
	if c.Bounce, err = parseBounce(getenv, c.MailFrom); err != nil {
		return nil, err
	}
	if c.PauseLimits, err = parsePause(getenv); err != nil {
		return nil, err
	}
	return c, nil
}

// parsePrefixes reads a comma- or space-separated list of CIDRs; a bare
// address stands for itself alone.
func parsePrefixes(raw string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or an IP address", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func parseSMTP(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return SMTP{}, fmt.Errorf("SMTP_URL: want smtp://[user:pass@]host:port[?tls=none|starttls|implicit]; " +
			"percent-encode a / ? # @ or %% in the user name or password (%%2F %%3F %%23 %%40 %%25)")
	}
	// What is not read must not be there: a password with an unescaped
	// / or # turns the rest of the URL into a path or a fragment, and the
	// part before it into a host, so the mail would go elsewhere without
	// a word. The error names neither, as they may hold the password.
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" || u.ForceQuery {
		return SMTP{}, fmt.Errorf("SMTP_URL: want smtp://[user:pass@]host:port[?tls=none|starttls|implicit], with no /path or #fragment; " +
			"percent-encode a / ? # @ or %% in the user name or password (%%2F %%3F %%23 %%40 %%25)")
	}
	for k := range u.Query() {
		if k != "tls" {
			return SMTP{}, fmt.Errorf("SMTP_URL: takes one setting after ?, tls=none|starttls|implicit, and no other " +
				"(a misspelt one would be ignored); percent-encode a ? in the user name or password (%%3F)")
		}
	}
	s := SMTP{Host: u.Hostname(), TLS: u.Query().Get("tls")}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if s.TLS == "" {
		switch {
		case u.Scheme == "smtps":
			s.TLS = "implicit"
		case isLoopback(s.Host):
			s.TLS = "none"
		default:
			s.TLS = "starttls"
		}
	}
	if s.TLS != "none" && s.TLS != "starttls" && s.TLS != "implicit" {
		return SMTP{}, fmt.Errorf("SMTP_URL: tls must be none, starttls or implicit, got %q", s.TLS)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"none": "25", "starttls": "587", "implicit": "465"}[s.TLS]
	}
	if s.Port, err = strconv.Atoi(port); err != nil || s.Port < 1 || s.Port > 65535 {
		return SMTP{}, fmt.Errorf("SMTP_URL: bad port %q", port)
	}
	return s, nil
}

// PlaintextHTTP reports whether the site is served over plain HTTP (local
// development and tests), which the CSRF protection must be told.
func (c *Config) PlaintextHTTP() bool { return c.BaseURL.Scheme == "http" }

// URL joins a path to BASE_URL.
func (c *Config) URL(path string) string { return c.BaseURL.String() + path }
