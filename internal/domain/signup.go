package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// SignupSchedule is when a sign-up asks for its digest: Own, or nil for
// the desk's schedule. Keep is set when the sign-up gave no schedule
// field at all: a pending address then keeps the schedule it has, as the
// preference centre keeps one its form did not send (a sign-up always
// gives its choices, so those are always replaced); a new or returning
// address follows the desk's.
type SignupSchedule struct {
	Own  *ReaderSchedule
	Keep bool
}

// PendingSignup is a sign-up waiting for its confirmation, as its page
// shows it: the subscriber with their choices, and when their digest
// would arrive (Schedule nil: the desk's schedule).
type PendingSignup struct {
	Subscriber
	Schedule *ReaderSchedule
}

// ChoicesSignature identifies all a confirmation page shows and its
// button confirms: the choices and the schedule, so that a sign-up that
// changes either since the page was shown makes its button confirm
// nothing. With the desk's schedule it is the filter's Signature, which
// is what pages shown before the schedule was counted carry.
func (p PendingSignup) ChoicesSignature() string {
	sig := p.Filter.Signature()
	if p.Schedule == nil {
		return sig
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%s|%d|%t", sig, p.Schedule.Frequency, p.Schedule.Timezone, p.Schedule.Hour, p.Schedule.SendThin)
	return hex.EncodeToString(h.Sum(nil))[:32]
}
