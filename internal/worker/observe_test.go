package worker

import (
	"context"
	netmail "net/mail"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/config"
	"newsdigest/internal/mail"
	"newsdigest/internal/metrics"
	"newsdigest/internal/testenv"
)

// TestEverySendCountsItsReply: a confirmation (Send), a notice
// (SendShared) and a digest (SendSharedAs, with its delivery's envelope)
// each count the relay's reply, so newsdigest_smtp_replies_total and the
// alerts on it see every mail the worker hands over.
func TestEverySendCountsItsReply(t *testing.T) {
	srv := testenv.NewSMTPServer(t)
	pool, err := mail.NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"},
		&netmail.Address{Name: "News Digest", Address: "digest@example.org"}, 1, mail.Timings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	reg := prometheus.NewRegistry()
	m := CountReplies(pool, metrics.For(reg))
	ctx := context.Background()
	msg := func() *mail.Message {
		return &mail.Message{To: "ana@example.org", Subject: "Hello", Text: "Hello\n", HTML: "<p>Hello</p>\n", Language: "en"}
	}
	for name, send := range map[string]func() error{
		"Send":       func() error { return m.Send(ctx, msg()) },
		"SendShared": func() error { return m.SendShared(ctx, mail.Prepare(msg(), ""), "ana@example.org", "") },
		"SendSharedAs": func() error {
			return m.SendSharedAs(ctx, mail.Prepare(msg(), ""), "ana@example.org", "", mail.Envelope{Delivery: "1"})
		},
	} {
		if err := send(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if got := replies(t, reg, metrics.Reply2xx); got != 3 {
		t.Errorf("newsdigest_smtp_replies_total{class=%q} = %v after three mails taken, want 3", metrics.Reply2xx, got)
	}
}

func replies(t *testing.T, reg *prometheus.Registry, class string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "newsdigest_smtp_replies_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "class" && l.GetValue() == class {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
