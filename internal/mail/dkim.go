package mail

import (
	"fmt"

	"github.com/emersion/go-msgauth/dkim"

	"newsdigest/internal/config"
)

// signedHeaders are the header fields every DKIM signature covers:
// among them List-Unsubscribe and List-Unsubscribe-Post (Gmail and Yahoo
// honour one-click unsubscribing only when the signature covers both),
// List-Id and Feedback-ID (Gmail's Postmaster Tools group complaints
// by it, so a forged one must not verify). Each
// body differs per reader (the token in its links), so every message is
// signed on its own. The fields that make a message what it is (who from,
// to whom, what, when, which, and how to leave the list) are listed twice:
// a field listed once more than the message holds signs its absence, so a
// copy with a second From or Subject added on the way fails to verify
// (RFC 6376 §8.15). Fields a message lacks (a confirmation mail has no
// List-Unsubscribe) are signed as absent in the same way.
var signedHeaders = []string{
	"From", "From", "To", "To", "Subject", "Subject", "Date", "Date",
	"Message-ID", "Message-ID",
	"List-Unsubscribe", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Unsubscribe-Post",
	"List-Id", "List-Id", "Feedback-ID", "Feedback-ID", "Reply-To", "Cc", "In-Reply-To", "References",
	"MIME-Version", "Content-Type", "Content-Language",
}

// signer signs whole messages with one or two keys of one domain.
type signer struct {
	opts []dkim.SignOptions
}

func newSigner(d *config.DKIM) *signer {
	s := &signer{}
	for _, k := range d.Keys {
		s.opts = append(s.opts, dkim.SignOptions{
			Domain:   d.Domain,
			Selector: k.Selector,
			Signer:   k.Signer,
			// Relaxed headers: relays refold them and change their
			// blanks. Simple body: newsdigest writes it with CRLF, lines
			// well under 998 bytes and no trailing blanks (the views
			// flatten what stories bring), and relays pass it on as it
			// is. Relaxed body canonicalisation would cost about four
			// times as much CPU for each of the thousands of signatures
			// (docs/performance.md). Amazon SES signs relaxed/simple too.
			HeaderCanonicalization: dkim.CanonicalizationRelaxed,
			BodyCanonicalization:   dkim.CanonicalizationSimple,
			HeaderKeys:             signedHeaders,
		})
	}
	return s
}

// appendSigned appends msg, a whole message with CRLF line ends, to dst
// with one DKIM-Signature field per key in front of it.
func (s *signer) appendSigned(dst, msg []byte) ([]byte, error) {
	for i := range s.opts {
		sig, err := dkim.NewSigner(&s.opts[i])
		if err != nil {
			return dst, fmt.Errorf("DKIM: %w", err)
		}
		if _, err := sig.Write(msg); err != nil {
			sig.Close()
			return dst, fmt.Errorf("DKIM sign: %w", err)
		}
		if err := sig.Close(); err != nil {
			return dst, fmt.Errorf("DKIM sign: %w", err)
		}
		dst = append(dst, sig.Signature()...)
	}
	return append(dst, msg...), nil
}
