package config

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// Warnings are what an operator should know at start about settings that
// are valid but probably not what they want; each binary logs them.
func (c *Config) Warnings() []string {
	var w []string
	if c.SMTPUnset {
		w = append(w, "SMTP_URL is not set: mail goes to "+DefaultSMTPURL+", a development mail catcher on this host; "+
			"where none listens there (a server, a container) no mail is sent at all. Set SMTP_URL to your relay, "+
			"e.g. smtp://user:pass@smtp.example.org:587?tls=starttls")
	}
	for _, p := range c.TrustedProxies {
		if p.Bits() == 0 {
			w = append(w, fmt.Sprintf("TRUSTED_PROXIES holds %s: every client may say who it is in X-Forwarded-For, "+
				"and the limits by address (sign-ups, console logins) count what it says. "+
				"List your load balancers' addresses instead", p))
		}
	}
	if !c.SMTPUnset && c.OrgPostalAddress == "" {
		w = append(w, "ORG_POSTAL_ADDRESS is not set: the footer of every mail gives no postal address, "+
			"which the law of many places asks of a mailing list (CAN-SPAM in the United States) and which readers look for. "+
			"Set it to the desk's address, e.g. Apartado 123, San José, Costa Rica")
	}
	if !c.SMTPUnset && !isLoopback(c.SMTP.Host) {
		w = append(w, c.exampleWarnings()...)
	}
	if c.DigestTZ == time.Local {
		w = append(w, "DIGEST_TZ is Local: editions follow this machine's time zone, which a new host or image may change "+
			"without a word. Name the desk's zone, e.g. America/Costa_Rica")
	}
	return w
}

// exampleWarnings name the settings still at a value for trying the
// program out on one's own machine, once mail goes to a real relay:
// readers would get links to their own machine, mail from an address
// nobody has, or the example file's postal address.
func (c *Config) exampleWarnings() []string {
	var w []string
	if isLoopback(c.BaseURL.Hostname()) {
		w = append(w, fmt.Sprintf("BASE_URL is %s while mail goes to the relay %s: the links of every mail "+
			"(confirm, unsubscribe, preferences) would lead readers to their own machine. "+
			"Set BASE_URL to the site's public address, e.g. https://news.example.org", c.BaseURL, c.SMTP.Host))
	}
	if _, domain, _ := strings.Cut(c.MailFrom.Address, "@"); isLoopback(domain) {
		w = append(w, fmt.Sprintf("MAIL_FROM is %s while mail goes to the relay %s: relays refuse or junk mail "+
			"from an address at no real domain, and replies go nowhere. Set it to an address of the desk's own domain, "+
			"e.g. News Digest <digest@news.example.org>", c.MailFrom.Address, c.SMTP.Host))
	}
	if strings.Contains(strings.ToLower(c.OrgPostalAddress), "example street") {
		w = append(w, "ORG_POSTAL_ADDRESS is still the example's ("+c.OrgPostalAddress+"): every mail's footer "+
			"would give it as the desk's address. Set it to the desk's own")
	}
	return w
}

// isLoopback reports whether host names this machine: localhost or a
// name under it, a loopback address, or the unspecified one (0.0.0.0,
// ::), in any case.
func isLoopback(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
