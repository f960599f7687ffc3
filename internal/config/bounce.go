package config

import (
	"crypto/tls"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"

	"newsdigest/internal/domain"
)

// Bounce is how bounces and complaints come back (docs/bounces.md).
type Bounce struct {
	// Domain is BOUNCE_DOMAIN: each message's envelope sender is a signed
	// address there. "" when unset: nothing after the send is seen.
	Domain string
	// SMTPAddr is BOUNCE_SMTP_ADDR, where the worker takes DSNs and
	// complaint reports; "" for none.
	SMTPAddr string
	// TLSCertFile and TLSKeyFile offer STARTTLS on the listener.
	TLSCertFile, TLSKeyFile string
	// SESTopicARNs are the SNS topics POST /webhooks/bounces/ses takes.
	SESTopicARNs []string
	// MailgunSigningKey verifies POST /webhooks/bounces/mailgun.
	MailgunSigningKey string
}

// snsTopicARN is an SNS topic's ARN: arn:aws:sns:<region>:<account>:<topic>.
var snsTopicARN = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$`)

// parseBounce reads the BOUNCE_* settings and the relays' webhook secrets.
func parseBounce(getenv func(string) string, from *mail.Address) (Bounce, error) {
	get := func(n string) string { return strings.TrimSpace(getenv(n)) }
	b := Bounce{
		Domain: strings.TrimSuffix(strings.ToLower(get("BOUNCE_DOMAIN")), "."), SMTPAddr: get("BOUNCE_SMTP_ADDR"),
		TLSCertFile: get("BOUNCE_SMTP_TLS_CERT_FILE"), TLSKeyFile: get("BOUNCE_SMTP_TLS_KEY_FILE"),
		MailgunSigningKey: get("MAILGUN_WEBHOOK_SIGNING_KEY"),
	}
	needsDomain := func(name string) error {
		return fmt.Errorf("%s: needs BOUNCE_DOMAIN, the domain of the envelope senders that name each delivery", name)
	}
	if b.Domain != "" {
		ascii, err := asciiDomain(b.Domain)
		if err != nil {
			return b, fmt.Errorf("BOUNCE_DOMAIN: %q is not a valid domain name: %v", b.Domain, err)
		}
		b.Domain = ascii
		if err := checkHostName(b.Domain); err != nil {
			return b, fmt.Errorf("BOUNCE_DOMAIN: %w", err)
		}
		fromDomain := strings.ToLower(from.Address[strings.LastIndexByte(from.Address, '@')+1:])
		if b.Domain != fromDomain && !strings.HasSuffix(b.Domain, "."+fromDomain) {
			return b, fmt.Errorf("BOUNCE_DOMAIN: %q is neither %s (MAIL_FROM's domain) nor a subdomain of it, so SPF would not align with From for DMARC", b.Domain, fromDomain)
		}
	}
	if b.SMTPAddr != "" {
		if b.Domain == "" {
			return b, needsDomain("BOUNCE_SMTP_ADDR")
		}
		if err := checkListenAddr("BOUNCE_SMTP_ADDR", b.SMTPAddr); err != nil {
			return b, err
		}
	}
	if (b.TLSCertFile == "") != (b.TLSKeyFile == "") {
		return b, fmt.Errorf("BOUNCE_SMTP_TLS_CERT_FILE and BOUNCE_SMTP_TLS_KEY_FILE: set both or neither")
	}
	if b.TLSCertFile != "" {
		if b.SMTPAddr == "" {
			return b, fmt.Errorf("BOUNCE_SMTP_TLS_CERT_FILE: needs BOUNCE_SMTP_ADDR")
		}
		// Read as the listener will read them, so that a file that is
		// not a PEM certificate, or a key of another one, stops the
		// start here rather than a worker that has already waited for
		// PostgreSQL.
		if _, err := tls.LoadX509KeyPair(b.TLSCertFile, b.TLSKeyFile); err != nil {
			return b, fmt.Errorf("BOUNCE_SMTP_TLS_CERT_FILE and BOUNCE_SMTP_TLS_KEY_FILE: %s", strings.ReplaceAll(err.Error(), "\n", " "))
		}
	}
	if raw := get("BOUNCE_SES_TOPIC_ARNS"); raw != "" {
		if b.Domain == "" {
			return b, needsDomain("BOUNCE_SES_TOPIC_ARNS")
		}
		for _, a := range strings.Split(raw, ",") {
			a = strings.TrimSpace(a)
			if !snsTopicARN.MatchString(a) {
				return b, fmt.Errorf("BOUNCE_SES_TOPIC_ARNS: %q is not an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:newsdigest-bounces", a)
			}
			b.SESTopicARNs = append(b.SESTopicARNs, a)
		}
	}
	if b.MailgunSigningKey != "" && b.Domain == "" {
		return b, needsDomain("MAILGUN_WEBHOOK_SIGNING_KEY")
	}
	return b, nil
}

// checkHostName accepts a host name of at least two labels: letters,
// digits and hyphens, no label starting or ending with a hyphen.
func checkHostName(d string) error {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return fmt.Errorf("%q: want a domain of at least two labels, such as bounce.example.org", d)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return fmt.Errorf("%q: label %q is not a host name label (letters, digits, hyphens)", d, l)
		}
	}
	return nil
}

// parsePause reads when a sending edition pauses itself.
func parsePause(getenv func(string) string) (domain.PauseLimits, error) {
	l := domain.PauseLimits{MinSent: domain.DefaultPauseMinSent}
	rate := func(name string, def float64) (float64, error) {
		raw := strings.TrimSpace(getenv(name))
		if raw == "" {
			return def, nil
		}
		pct := strings.HasSuffix(raw, "%")
		v, err := strconv.ParseFloat(strings.TrimSuffix(raw, "%"), 64)
		if pct {
			v /= 100
		}
		if err != nil || !(v >= 0 && v <= 1) {
			return 0, fmt.Errorf("%s: want a fraction from 0 to 1 (0.05) or a percentage (5%%), 0 to turn it off; got %q", name, raw)
		}
		return v, nil
	}
	var err error
	if l.BounceRate, err = rate("EDITION_PAUSE_BOUNCE_RATE", domain.DefaultPauseBounceRate); err != nil {
		return l, err
	}
	if l.ComplaintRate, err = rate("EDITION_PAUSE_COMPLAINT_RATE", domain.DefaultPauseComplaintRate); err != nil {
		return l, err
	}
	if raw := strings.TrimSpace(getenv("EDITION_PAUSE_MIN_SENT")); raw != "" {
		if l.MinSent, err = strconv.Atoi(raw); err != nil || l.MinSent < 1 {
			return l, fmt.Errorf("EDITION_PAUSE_MIN_SENT: want a whole number of messages, at least 1; got %q", raw)
		}
	}
	return l, nil
}
