package mail

import (
	"errors"
	"fmt"
)

// ClipBytes is the most a digest may weigh, measured on the message as it
// goes to the relay: headers, DKIM signatures, both parts and their MIME
// wrapping. Gmail clips a message whose HTML passes "102 KB" and hides
// what follows, the unsubscribe link included. 102,000 bytes is the
// stricter reading of 102 KB (102 × 1,024 is 104,448), and measuring the
// whole message rather than its HTML part is stricter still.
const ClipBytes = 102_000

// TooLarge says a message was not sent because its final bytes passed
// the pool's limit (LimitSize).
type TooLarge struct {
	Size, Limit int
}

func (e *TooLarge) Error() string {
	return fmt.Sprintf("message of %d bytes is over the limit of %d", e.Size, e.Limit)
}

// AsTooLarge reports whether err is a send refused for its size, and how
// large the message was.
func AsTooLarge(err error) (*TooLarge, bool) {
	var t *TooLarge
	ok := errors.As(err, &t)
	return t, ok
}

// LimitSize makes the pool refuse, before anything reaches the relay, a
// message whose final bytes (personalised and signed) pass n; 0 is no
// limit. Set it before the pool is used. The refusal is a permanent
// failure wrapping a *TooLarge, so a caller that cannot make the message
// smaller does not try it again.
func (p *Pool) LimitSize(n int) {
	p.maxBytes = n
}

// checkSize is the limit's test of a message about to be sent.
func (p *Pool) checkSize(msg []byte) *Error {
	if p.maxBytes <= 0 || len(msg) <= p.maxBytes {
		return nil
	}
	t := &TooLarge{Size: len(msg), Limit: p.maxBytes}
	return &Error{Class: Permanent, Reply: t.Error(), err: t}
}
