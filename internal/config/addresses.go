package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
)

// checkDatabaseURL checks DATABASE_URL's scheme and port. What else pgx
// reads in it (sslmode, pool settings) is checked by postgres.CheckURL,
// which the programs call after Load: this package stays free of pgx, as
// the packages that only read settings (digest) must be.
func checkDatabaseURL(raw string) error {
	if err := checkURL("DATABASE_URL", raw, "postgres", "postgresql"); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("DATABASE_URL: port %q is not from 1 to 65535", p)
		}
	}
	return nil
}

func checkURL(name, raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: not a URL", name)
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return nil
		}
	}
	return fmt.Errorf("%s: scheme must be %s, got %q", name, strings.Join(schemes, " or "), u.Scheme)
}

// parseBaseURL reads BASE_URL, to which every link in every mail is
// joined: a query or fragment would end up in the middle of those links,
// and a password in every mail sent. The site is served at the root of
// its host (its pages link to /static/…, /subscribe, /admin/…), so a
// path would make every page's links and every mail's lead nowhere.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("BASE_URL: want an absolute http(s) URL such as %s", DefaultBaseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("BASE_URL: want no user, ?query or #fragment, only scheme, host and port, such as https://news.example.org")
	}
	if u.Path != "" {
		return nil, fmt.Errorf("BASE_URL: want no path (%s): the site is served at the root of its host; give it a host of its own, such as https://news.example.org", u.Path)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("BASE_URL: port %q is not from 1 to 65535", p)
		}
	}
	return u, nil
}

// checkListenAddr checks an address to listen on, host:port or :port, as
// net.Listen takes it, so that a typo stops the start rather than the
// listener, after the migrations have run.
func checkListenAddr(name, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: want host:port or :port ([::1]:port for IPv6), got %q", name, addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("%s: port %q is not a number from 0 to 65535", name, port)
	}
	if host == "" {
		return nil
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	// An underscore is no part of a DNS host name, but container
	// platforms name services with one (compose's bounce_smtp), and
	// their resolvers answer for them.
	for _, label := range strings.Split(host, ".") {
		if label == "" || strings.Trim(strings.ToLower(label), "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return fmt.Errorf("%s: %q is neither an IP address nor a host name", name, host)
		}
	}
	return nil
}

// parseMailFrom reads MAIL_FROM. A domain written in its own script
// ("noticias.ejemplo.es" with an accent) is kept in its ASCII form
// (xn--…), which is what From, Message-ID and the DKIM and SPF checks of
// a plain relay carry; its name part would need the relay to take
// SMTPUTF8, which the mail is not sent with, so it is refused.
func parseMailFrom(raw string) (*mail.Address, error) {
	a, err := mail.ParseAddress(raw)
	if err != nil {
		return nil, fmt.Errorf("MAIL_FROM: not an email address: %v", err)
	}
	at := strings.LastIndexByte(a.Address, '@')
	local, domain := a.Address[:at], a.Address[at+1:]
	if !isASCII(local) {
		return nil, fmt.Errorf("MAIL_FROM: %q: the part before @ is not ASCII, which relays take only with SMTPUTF8; use an ASCII one (the name shown can be in any script)", a.Address)
	}
	ascii, err := asciiDomain(domain)
	if err != nil {
		return nil, fmt.Errorf("MAIL_FROM: %q: the domain is not a valid domain name: %v", a.Address, err)
	}
	a.Address = local + "@" + ascii
	return a, nil
}

// asciiDomain is a domain in its ASCII form (xn--…), as MAIL_FROM's is
// kept: DKIM_DOMAIN and BOUNCE_DOMAIN are compared with MAIL_FROM's
// domain, and go into headers (d=, Return-Path) that take no UTF-8, so
// an operator who writes all three in their own script gets the same
// form of each. An ASCII domain is returned as it is.
func asciiDomain(d string) (string, error) {
	if isASCII(d) {
		return d, nil
	}
	return idna.Lookup.ToASCII(d)
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}
