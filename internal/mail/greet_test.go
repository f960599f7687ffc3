package mail

import (
	"context"
	"testing"

	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

// TestGreetTellsARelayFromNone: a relay that answers, on IPv4 or IPv6,
// greets, and is sent nothing; a server that hangs up is an error.
func TestGreetTellsARelayFromNone(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"127.0.0.1", "::1"} {
		srv := testenv.NewSMTPServerOn(t, host)
		if err := Greet(context.Background(), config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}); err != nil {
			t.Errorf("the relay on %s: %v", host, err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("greeting the relay on %s sent %d messages", host, n)
		}
	}
	// A server that hangs up without a greeting (not a relay; a port
	// held by something else) does not pass for one.
	if err := Greet(context.Background(), config.SMTP{Host: "127.0.0.1", Port: testenv.HangUp(t), TLS: "none"}); err == nil {
		t.Error("a server that hangs up at once greeted")
	}
}
