// Package webhook takes bounce and complaint notifications from the relays
// people use instead of their own MX: Amazon SES (through SNS) and
// Mailgun. Each provider's notifications are verified as that provider
// documents, before anything in them is believed; then the delivery each
// names is found through its signed VERP address or token, as for the
// inbound listener, and the events go to a bounce.Recorder.
//
// It knows nothing of HTTP routing: Handler.Handle takes the provider's
// name, the request's header and body, and returns an error that Status
// turns into the HTTP status to answer, so the web layer can mount it at
// POST /webhooks/bounces/{provider} however it routes.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"time"

	"newsdigest/internal/bounce"
)

// DefaultMaxBodyBytes bounds a request body. An SNS message is at most
// 256 KiB, and SES's, with the original header fields, come near it once
// escaped as a JSON string inside the SNS envelope.
const DefaultMaxBodyBytes = 1 << 20

// The errors Handle returns, wrapped with the detail; Status maps them.
var (
	// ErrUnknownProvider: no provider by that name is configured (404).
	ErrUnknownProvider = errors.New("webhook: no such provider")
	// ErrTooLarge: the body is over the limit (413).
	ErrTooLarge = errors.New("webhook: request body too large")
	// ErrBadPayload: the body is not a notification of the provider (400).
	ErrBadPayload = errors.New("webhook: malformed notification")
	// ErrBadSignature: the signature is missing, does not verify, or is too
	// old (401).
	ErrBadSignature = errors.New("webhook: signature does not verify")
	// ErrForbidden: signed, but by a sender this server does not take
	// notifications from, such as an SNS topic not configured (403).
	ErrForbidden = errors.New("webhook: notification from a sender not allowed")
)

// Status is the HTTP status that answers a Handle error: 200 for nil, 404,
// 413, 400, 401, 403 for the errors above, and 503 for anything else (a
// storage error, a certificate that could not be fetched), which makes the
// provider deliver the notification again later.
func Status(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrUnknownProvider):
		return http.StatusNotFound
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrBadPayload):
		return http.StatusBadRequest
	case errors.Is(err, ErrBadSignature):
		return http.StatusUnauthorized
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	}
	return http.StatusServiceUnavailable
}

// Message is what to tell the client about a Handle error: the error
// itself for the kinds above (they name the field or rule at fault and
// hold nothing secret), a generic line for the rest, which belong in the
// server's log only.
func Message(err error) string {
	if err == nil {
		return ""
	}
	if Status(err) == http.StatusServiceUnavailable {
		return "temporarily unable to take the notification; try again later"
	}
	return err.Error()
}

// Notice is what a provider's request, once verified, says.
type Notice struct {
	// Events are the bounces and complaints in it, tied to deliveries.
	Events []bounce.Event
	// ReplayKey names the signed request, so that it is acted on once
	// however often it comes; "" when there is nothing to guard.
	ReplayKey string
	// ReplayTTL is how long the key must be remembered: as long as the
	// provider's signature would be taken.
	ReplayTTL time.Duration
}

// Provider verifies and reads one relay's notifications.
type Provider interface {
	// Name is the {provider} path segment: "ses", "mailgun".
	Name() string
	// Receive verifies a request and returns what it says. The error
	// wraps one of the package's errors, or is temporary.
	Receive(ctx context.Context, header http.Header, body []byte) (*Notice, error)
}

// Options are a Handler's settings; zero values take the defaults.
type Options struct {
	// MaxBodyBytes bounds a request body; default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger gets a line per notification; default slog.Default().
	Logger *slog.Logger
}

// Handler verifies notifications, keeps replays out and records events.
type Handler struct {
	rec       bounce.Recorder
	guard     ReplayGuard
	providers map[string]Provider
	maxBody   int64
	log       *slog.Logger
}

// NewHandler returns a Handler for the given providers. guard remembers
// the signed requests already acted on; with more than one web process it
// must be shared (RedisGuard).
func NewHandler(rec bounce.Recorder, guard ReplayGuard, opts Options, providers ...Provider) (*Handler, error) {
	if rec == nil || guard == nil {
		return nil, errors.New("webhook: NewHandler needs a Recorder and a ReplayGuard")
	}
	if opts.MaxBodyBytes < 0 {
		return nil, errors.New("webhook: Options.MaxBodyBytes is negative")
	}
	h := &Handler{rec: rec, guard: guard, providers: map[string]Provider{}, maxBody: opts.MaxBodyBytes, log: opts.Logger}
	if h.maxBody == 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	for _, p := range providers {
		if _, dup := h.providers[p.Name()]; dup {
			return nil, fmt.Errorf("webhook: provider %q given twice", p.Name())
		}
		h.providers[p.Name()] = p
	}
	return h, nil
}

// Providers are the names of the providers configured, sorted.
func (h *Handler) Providers() []string {
	names := make([]string, 0, len(h.providers))
	for n := range h.providers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Handle reads one request for provider: it verifies it, acts on it once
// however often it comes, and records its events. It returns how many
// events it recorded; Status turns its error into the HTTP status.
func (h *Handler) Handle(ctx context.Context, provider string, header http.Header, body io.Reader) (int, error) {
	p, ok := h.providers[provider]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrUnknownProvider, provider)
	}
	raw, err := readBody(body, h.maxBody)
	if err != nil {
		return 0, err
	}
	n, err := p.Receive(ctx, header, raw)
	if err != nil {
		if Status(err) == http.StatusServiceUnavailable {
			h.log.Error("bounce webhook", "provider", provider, "err", err)
		} else {
			h.log.Info("bounce webhook refused", "provider", provider, "err", err)
		}
		return 0, err
	}
	if n.ReplayKey != "" {
		first, err := h.guard.Claim(ctx, n.ReplayKey, n.ReplayTTL)
		if err != nil {
			return 0, fmt.Errorf("webhook: replay guard: %w", err)
		}
		if !first {
			h.log.Info("bounce webhook: a notification already taken came again", "provider", provider)
			return 0, nil
		}
	}
	recorded := 0
	for _, e := range n.Events {
		err := h.rec.Record(ctx, e)
		if errors.Is(err, bounce.ErrUnknownDelivery) {
			h.log.Info("bounce webhook: unknown delivery", "provider", provider, "delivery", e.DeliveryID, "kind", string(e.Kind))
			continue
		}
		if err != nil {
			// Forget the request, so that the provider's retry is taken.
			if n.ReplayKey != "" {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				if rerr := h.guard.Release(rctx, n.ReplayKey); rerr != nil {
					h.log.Error("bounce webhook: releasing a replay key", "provider", provider, "err", rerr)
				}
				cancel()
			}
			h.log.Error("bounce webhook: recording", "provider", provider, "delivery", e.DeliveryID, "err", err)
			return recorded, fmt.Errorf("webhook: recording an event of delivery %d: %w", e.DeliveryID, err)
		}
		recorded++
		h.log.Info("bounce webhook: event recorded", "provider", provider, "delivery", e.DeliveryID,
			"kind", string(e.Kind), "status", e.Status)
	}
	return recorded, nil
}

// readBody reads at most max bytes of a body, and says so if there was
// more.
func readBody(r io.Reader, max int64) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: no body", ErrBadPayload)
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, mbe.Limit)
		}
		return nil, fmt.Errorf("webhook: reading the body: %w", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, max)
	}
	return b, nil
}
