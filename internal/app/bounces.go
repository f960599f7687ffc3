package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"newsdigest/internal/bounce"
	"newsdigest/internal/bounce/inbound"
	"newsdigest/internal/bounce/webhook"
	"newsdigest/internal/config"
	"newsdigest/internal/web"
)

// verpOf signs the envelope senders that name each delivery, when
// BOUNCE_DOMAIN is set; nil otherwise.
func verpOf(cfg *config.Config) (*bounce.VERP, error) {
	if cfg.Bounce.Domain == "" {
		return nil, nil
	}
	v, err := bounce.NewVERP(cfg.Bounce.Domain, cfg.SecretKey, cfg.PreviousSecretKeys()...)
	if err != nil {
		return nil, fmt.Errorf("BOUNCE_DOMAIN: %w", err)
	}
	return v, nil
}

// bounceWebhooks are the relays' webhooks configured (Amazon SES through
// SNS, Mailgun), recording into rec. client fetches SNS certificates and
// confirms subscriptions; nil is the default, with its timeout.
func bounceWebhooks(cfg *config.Config, rec bounce.Recorder, client *http.Client, log *slog.Logger) (web.BounceWebhooks, error) {
	b := web.BounceWebhooks{Recorder: rec}
	v, err := verpOf(cfg)
	if err != nil || v == nil {
		return b, err
	}
	if len(cfg.Bounce.SESTopicARNs) > 0 {
		p, err := webhook.NewSES(v, webhook.SESOptions{TopicARNs: cfg.Bounce.SESTopicARNs, HTTPClient: client, Logger: log})
		if err != nil {
			return b, fmt.Errorf("BOUNCE_SES_TOPIC_ARNS: %w", err)
		}
		b.Providers = append(b.Providers, p)
	}
	if cfg.Bounce.MailgunSigningKey != "" {
		p, err := webhook.NewMailgun(v, webhook.MailgunOptions{SigningKey: cfg.Bounce.MailgunSigningKey})
		if err != nil {
			return b, fmt.Errorf("MAILGUN_WEBHOOK_SIGNING_KEY: %w", err)
		}
		b.Providers = append(b.Providers, p)
	}
	return b, nil
}

// bounceListener is the worker's SMTP listener for BOUNCE_DOMAIN.
type bounceListener struct {
	srv  *inbound.Server
	done chan error
}

// startBounceListener listens on BOUNCE_SMTP_ADDR (or on l, in tests)
// for DSNs and complaint reports, recording into rec; nil when no
// listener is configured.
func startBounceListener(cfg *config.Config, l net.Listener, rec bounce.Recorder, log *slog.Logger) (*bounceListener, error) {
	if cfg.Bounce.SMTPAddr == "" && l == nil {
		return nil, nil
	}
	v, err := verpOf(cfg)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("BOUNCE_SMTP_ADDR: needs BOUNCE_DOMAIN")
	}
	opts := inbound.Options{Logger: log}
	if cfg.Bounce.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.Bounce.TLSCertFile, cfg.Bounce.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("BOUNCE_SMTP_TLS_CERT_FILE: %w", err)
		}
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	srv, err := inbound.New(v, rec, opts)
	if err != nil {
		return nil, err
	}
	if l == nil {
		if l, err = listen(nil, "BOUNCE_SMTP_ADDR", cfg.Bounce.SMTPAddr); err != nil {
			return nil, err
		}
	}
	b := &bounceListener{srv: srv, done: make(chan error, 1)}
	go func() { b.done <- srv.Serve(l) }()
	log.Info("bounce listener", "addr", l.Addr().String(), "domain", v.Domain())
	return b, nil
}

// stop lets the reports being received finish, for a few seconds, then
// closes what is left: a sender cut off gets no reply and sends again.
func (b *bounceListener) stop() error {
	if b == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := b.srv.Shutdown(ctx)
	if serveErr := <-b.done; err == nil {
		err = serveErr
	}
	return err
}
