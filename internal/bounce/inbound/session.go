package inbound

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/bounce"
)

// The replies the listener gives, so that a sender's postmaster can tell
// what happened from the bounce of their bounce.
var (
	errOtherDomain = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Relaying denied: this server takes mail for its own bounce addresses only"}
	errNoMailbox = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such mailbox here"}
	errForged = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "This bounce address is not one this server made"}
	errTooManyMessages = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0},
		Message: "Too many messages on one connection, reconnect later"}
	errUnreadable = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "Cannot read the message: it has no header"}
	errRecord = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Cannot record the report now, try again later"}
)

// session is one SMTP connection.
type session struct {
	srv      *Server
	client   string
	messages int
	rcpts    []rcpt
}

// rcpt is an accepted recipient: a VERP address naming a delivery, or a
// role mailbox (delivery 0).
type rcpt struct {
	addr     string
	delivery int64
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, client: c.Conn().RemoteAddr().String()}, nil
}

// Reset forgets the message under way (RSET, or a new EHLO).
func (s *session) Reset() { s.rcpts = nil }

// Logout has nothing to free: a session holds no resources of its own.
func (s *session) Logout() error { return nil }

// Mail takes any sender: bounces come from the null sender, feedback
// reports from whoever runs the loop.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.messages >= s.srv.opts.MaxMessagesPerConn {
		return errTooManyMessages
	}
	s.rcpts = nil
	return nil
}

// Rcpt takes a VERP address that verifies, or a role mailbox, at the
// bounce domain; it refuses everything else.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	id, err := s.srv.verp.Verify(to)
	switch {
	case err == nil:
		s.rcpts = append(s.rcpts, rcpt{addr: to, delivery: id})
		return nil
	case errors.Is(err, bounce.ErrOtherDomain):
		return errOtherDomain
	case errors.Is(err, bounce.ErrForged):
		s.srv.log.Info("bounce listener refused a forged address", "client", s.client)
		return errForged
	}
	local, _, _ := strings.Cut(to, "@")
	if s.srv.mailboxes[strings.ToLower(local)] {
		s.rcpts = append(s.rcpts, rcpt{addr: to})
		return nil
	}
	return errNoMailbox
}

// Data reads the message, finds the delivery each recipient names, and
// records the event the report is worth for each. The reply is sent only
// once every event is stored: a 451 makes the sender try again.
func (s *session) Data(r io.Reader) error {
	s.messages++
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // go-smtp's own error, such as ErrDataTooLarge (552)
	}
	rep, err := bounce.Parse(raw)
	if err != nil {
		return errUnreadable
	}
	log := s.srv.log.With("client", s.client, "type", string(rep.Type), "report_id", rep.MessageID)
	var ids []int64
	seen := map[int64]bool{}
	for _, rc := range s.rcpts {
		id, ok := rc.delivery, rc.delivery != 0
		if !ok {
			id, ok = s.srv.verp.Resolve(rc.addr, rep)
		}
		if ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if rep.Kind == "" || len(ids) == 0 {
		reason := rep.Ignored
		if reason == "" {
			reason = "names no delivery"
		}
		log.Info("bounce report ignored", "reason", reason, "deliveries", len(ids))
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.srv.opts.RecordTimeout)
	defer cancel()
	for _, id := range ids {
		e := rep.Event(id, bounce.SourceSMTP)
		err := s.srv.rec.Record(ctx, e)
		if errors.Is(err, bounce.ErrUnknownDelivery) {
			log.Info("bounce report for an unknown delivery", "delivery", id, "kind", string(e.Kind))
			continue
		}
		if err != nil {
			log.Error("recording a bounce report", "delivery", id, "kind", string(e.Kind), "err", err)
			return errRecord
		}
		log.Info("bounce report recorded", "delivery", id, "kind", string(e.Kind), "status", e.Status)
		log.Debug("bounce report recipient", "delivery", id, "recipient", e.Recipient)
	}
	return nil
}

// A compile-time check that session is what go-smtp expects.
var _ smtp.Session = (*session)(nil)
