package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"newsdigest/internal/config"
)

// Greet connects to the relay cfg names and reads its greeting, sending
// nothing: an error when it does not answer, or answers other than
// ready (220). The worker asks at start, so that a relay's host or port
// mistyped in SMTP_URL is said at once, not only in the retries of the
// first mail.
func Greet(ctx context.Context, cfg config.SMTP) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := dialRelay(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no greeting: %w", err)
	}
	if !strings.HasPrefix(line, "220") {
		return fmt.Errorf("greeted with %q, not ready (220)", strings.TrimSpace(line))
	}
	fmt.Fprint(conn, "QUIT\r\n")
	return nil
}

// dialRelay connects to the relay cfg names, at its host and port as
// SMTP_URL gave them (go-mail's own address joins them with a colon,
// which an IPv6 host cannot be read back from), and makes the TLS
// connection itself for implicit TLS. keep, when set, is given the TCP
// connection first and returns the one to go on with (the pool tracks
// it).
func dialRelay(ctx context.Context, cfg config.SMTP, keep func(net.Conn) net.Conn) (net.Conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
	if err != nil {
		return nil, err
	}
	conn := raw
	if keep != nil {
		conn = keep(raw)
	}
	if cfg.TLS != "implicit" {
		return conn, nil
	}
	tc := tls.Client(conn, &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12})
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return tc, nil
}
