package bounce

import (
	"regexp"
	"strconv"
	"strings"
)

// Classify says what a reported failure means for the address (the rules
// are in the package documentation). action is the DSN's Action field (""
// when the report has none), status its Status field, diagnostic the
// remote server's words; any of them may be "". It returns the kind and
// the enhanced status code it went by, or "" for a report that is not a
// failure (Action delivered, relayed, expanded or delayed).
func Classify(action, status, diagnostic string) (Kind, string) {
	switch strings.ToLower(strings.TrimSpace(action)) {
	case "delivered", "relayed", "expanded", "delayed":
		return "", ""
	}
	code := statusCode(status, diagnostic)
	if code.class != 5 {
		// 4.x.x (the reporter gave up after temporary failures), or no
		// code at all: nothing says the address is gone.
		return Soft, code.String()
	}
	switch {
	case refusesTheSender(code, diagnostic):
		return Blocked, code.String()
	case code.subject == 1 && badDestination[code.detail]:
		// 5.1.x: bad destination mailbox, system or syntax, ambiguous,
		// moved, null MX. The other details are not the reader's address:
		// x.1.7 and x.1.8 are the sender's, and a code RFC 3463 does not
		// define may be anything (Microsoft's 5.1.90 is the sending
		// account's daily limit of recipients).
		return Hard, code.String()
	case code.subject == 2 && code.detail == 1:
		// 5.2.1: mailbox disabled, not accepting messages.
		return Hard, code.String()
	case code.unspecific():
		if containsAny(diagnostic, mailboxFullPhrases) {
			return Soft, code.String()
		}
		if saysAddressUnknown(diagnostic) {
			return Hard, code.String()
		}
	}
	// Mailbox full (5.2.2), message too large (5.2.3, 5.3.4), system,
	// network, protocol and content refusals (5.3 to 5.6), and the
	// recipient's own rules (5.7.1 "not authorized"): the address may be
	// fine.
	return Soft, code.String()
}

// badDestination are the details of x.1.x that say the destination
// address is bad: RFC 3463's x.1.1 to x.1.4 and x.1.6, RFC 7505's x.1.10
// (null MX).
var badDestination = map[int]bool{1: true, 2: true, 3: true, 4: true, 6: true, 10: true}

// enhancedCode is an RFC 3463 status code: class.subject.detail.
type enhancedCode struct{ class, subject, detail int }

// String writes the code as "5.1.1"; "" for no code.
func (c enhancedCode) String() string {
	if c.class == 0 {
		return ""
	}
	return strconv.Itoa(c.class) + "." + strconv.Itoa(c.subject) + "." + strconv.Itoa(c.detail)
}

// unspecific reports whether the code says no more than "other or
// undefined" of its subject (x.y.0: 5.0.0, 5.1.0, qmail's 5.5.0), so the
// diagnostic's words may say more.
func (c enhancedCode) unspecific() bool { return c.detail == 0 }

var (
	// enhancedRe finds an enhanced status code in text: not part of a
	// longer dotted number such as an IP address or a version.
	enhancedRe = regexp.MustCompile(`(?:^|[^0-9.])([245])\.([0-9]{1,3})\.([0-9]{1,3})(?:$|[^0-9.]|\.(?:$|[^0-9]))`)
	// replyRe finds an SMTP reply code: "550 ", "550-", "550:".
	replyRe = regexp.MustCompile(`(?:^|[^0-9.])([45][0-5][0-9])(?:$|[ \-:])`)
)

// statusCode picks the most specific code a report gives: its Status
// field, unless that is x.0.0 and the diagnostic holds a more specific
// code of the same class (Gmail writes "Status: 5.0.0" over "550 5.1.1
// ..."); else the diagnostic's enhanced code; else the class of its SMTP
// reply code.
func statusCode(status, diagnostic string) enhancedCode {
	st, ok := findEnhanced(status)
	if ok && (st.subject != 0 || st.detail != 0) {
		return st
	}
	if dc, found := findEnhanced(diagnostic); found && (!ok || dc.class == st.class) {
		return dc
	}
	if ok {
		return st
	}
	if m := replyRe.FindStringSubmatch(diagnostic); m != nil {
		return enhancedCode{class: int(m[1][0] - '0')}
	}
	return enhancedCode{}
}

// findEnhanced returns the first enhanced status code in s.
func findEnhanced(s string) (enhancedCode, bool) {
	m := enhancedRe.FindStringSubmatch(s)
	if m == nil {
		return enhancedCode{}, false
	}
	subject, _ := strconv.Atoi(m[2])
	detail, _ := strconv.Atoi(m[3])
	return enhancedCode{class: int(m[1][0] - '0'), subject: subject, detail: detail}, true
}

// unknownAddressPhrases are how servers say, without a specific code,
// that the address or its domain does not exist or is closed.
var unknownAddressPhrases = []string{
	"user unknown", "unknown user", "no such user", "no such mailbox",
	"no such recipient", "unknown recipient", "recipient unknown",
	"recipient not found", "recipientnotfound", "user not found",
	"mailbox not found", "address not found", "does not exist",
	"doesn't exist", "not a valid mailbox", "invalid mailbox",
	"invalid recipient", "unrouteable address", "account disabled",
	"account has been disabled", "account is disabled", "mailbox is disabled",
	"domain name not found", "no mailbox here by that name", "no such address",
	"not listed in domino directory",
}

// saysAddressUnknown reports whether a server's words say the address or
// its domain does not exist or is closed.
func saysAddressUnknown(diagnostic string) bool {
	return containsAny(diagnostic, unknownAddressPhrases) || noAccountRe.MatchString(diagnostic)
}

// noAccountRe is how Yahoo and AOL say it: "This user doesn't have a
// yahoo.com account".
var noAccountRe = regexp.MustCompile(`(?i)user doesn['’]t have an? [a-z0-9.\-]+ account`)

// mailboxFullPhrases are how servers say the mailbox is full, which
// passes when its owner makes room.
var mailboxFullPhrases = []string{
	"mailbox full", "mailbox is full", "quota exceeded", "over quota",
	"exceeded storage", "insufficient storage", "mailbox size limit",
}

// containsAny reports whether s holds one of phrases (lower-case, with
// straight apostrophes), in any case and with either apostrophe: servers
// write "doesn’t" as often as "doesn't".
func containsAny(s string, phrases []string) bool {
	s = strings.ReplaceAll(strings.ToLower(s), "’", "'")
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
