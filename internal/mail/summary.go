package mail

import (
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
)

// enhancedCode is the RFC 3463 status at the start of a relay's reply.
var enhancedCode = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}\b`)

// addressLike is anything shaped like an email address.
var addressLike = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// Summary sums up a failed send for the worker's log and for the
// queue, which keeps a failed task's error for weeks: the class and the
// relay's codes ("permanent, SMTP 550 5.1.1"), never its words, which
// often quote the recipient's address. A failure without a reply (the
// connection) keeps its text, with anything shaped like an address
// taken out.
func Summary(err error) string {
	class := map[Class]string{Temporary: "temporary", Permanent: "permanent", Uncertain: "uncertain"}[ClassOf(err)]
	var reply *textproto.Error
	if errors.As(err, &reply) {
		if code := enhancedCode.FindString(reply.Msg); code != "" {
			return fmt.Sprintf("%s, SMTP %d %s", class, reply.Code, code)
		}
		return fmt.Sprintf("%s, SMTP %d", class, reply.Code)
	}
	return class + ": " + WithoutAddresses(err.Error())
}

// WithoutAddresses is s with anything shaped like an email address
// replaced by "(address)".
func WithoutAddresses(s string) string {
	return addressLike.ReplaceAllString(s, "(address)")
}
