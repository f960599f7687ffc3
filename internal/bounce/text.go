package bounce

import (
	"net/mail"
	"regexp"
	"strings"
)

// This file reads the bounces that come without a machine-readable
// delivery-status part: qmail's and Yahoo's "failure notice", Gmail's
// older "Delivery Status Notification (Failure)", Exchange's
// "Undeliverable:" text, and RFC 3464 reports whose delivery-status part
// came empty. They are read by their words: the first enhanced status code
// (or SMTP reply code) in the notice, the failed recipient, and the
// returned message after the notice.

// looksLikeBounce reports whether a message that has no usable
// delivery-status part is still a bounce, by its sender and subject.
func looksLikeBounce(h header, p *parts) bool {
	if reportsFailure(h, p) {
		return true
	}
	from := strings.ToLower(h.get("From"))
	if fromMailSystem(from) || strings.Contains(from, "postmaster@") {
		return true
	}
	subject := strings.ToLower(decodeWords(h.get("Subject")))
	for _, s := range bounceSubjects {
		if strings.Contains(subject, s) {
			return true
		}
	}
	return false
}

// fromMailSystem reports whether a From field (lower-case) names the
// mail system itself, which sends bounces and never a person's
// out-of-office; postmaster@ is a mailbox people read, and answer
// automatically.
func fromMailSystem(from string) bool {
	return strings.Contains(from, "mailer-daemon") || strings.Contains(from, "mail delivery s")
}

// reportsFailure reports whether a message says in its structure that it
// is about a failed delivery: a delivery-status report, or Exim's
// X-Failed-Recipients. A sender or subject only suggests it.
func reportsFailure(h header, p *parts) bool {
	return p.reportType == "delivery-status" || p.deliveryStatus != nil || h.get("X-Failed-Recipients") != ""
}

// autoReplyByName reports whether a message taken for a bounce only by
// its sender or subject is an automatic reply that says no delivery
// failed: an out-of-office from postmaster@, or one whose subject quotes
// "Undeliverable". Its notice has no status code as a server gives one,
// and no words of failure; a text bounce, which carries Auto-Submitted
// too, has one, or comes from the mail system itself. A number alone is
// no code here: people's words hold dates ("until 5.1.26") and telephone
// numbers ("555-0143") that look like one.
func autoReplyByName(h header, p *parts) bool {
	if reportsFailure(h, p) || !isAutoReply(h) || fromMailSystem(strings.ToLower(h.get("From"))) {
		return false
	}
	notice, _ := splitOriginal(noticeText(p))
	if serverCodeRe.MatchString(notice) {
		return false
	}
	return !containsAny(notice, permanentPhrases) && !containsAny(notice, warningPhrases) &&
		!containsAny(notice, delayPhrases)
}

// serverCodeRe finds a status code written as a server's reply gives
// it: an enhanced code after its SMTP reply code ("550 5.1.1",
// "550-5.1.1", "550: 5.1.1") or marked as one ("#5.1.1", "Status: 5.1.1").
var serverCodeRe = regexp.MustCompile(`(?i)(?:(?:^|[^0-9.])[45][0-5][0-9][ \-:]+#?|#|status:[ \t]*)[245]\.[0-9]{1,3}\.[0-9]{1,3}(?:$|[^0-9.]|\.(?:$|[^0-9]))`)

// noticeText is a text bounce's words: its plain text parts, or its HTML
// read as text when it has none.
func noticeText(p *parts) string {
	text := strings.Join(p.texts, "\n")
	if strings.TrimSpace(text) == "" {
		text = htmlText(strings.Join(p.htmls, "\n"))
	}
	return text
}

var bounceSubjects = []string{
	"undeliverable", "undelivered mail", "delivery status notification",
	"failure notice", "mail delivery failed", "delivery failure",
	"returned mail", "non-delivery", "nondeliverable", "could not be delivered",
	"delivery has failed", "message not delivered",
}

// parseText reads a bounce from its text into rep.
func parseText(rep *Report, h header, p *parts) {
	rep.Type = TypeDSN
	notice, original := splitOriginal(noticeText(p))
	if oh, ok := headerAfter(original); ok {
		p.originals = append(p.originals, oh)
	}
	rep.Recipient = failedRecipient(h)
	if rep.Recipient == "" {
		rep.Recipient = firstAddress(notice)
	}
	if containsAny(notice, warningPhrases) ||
		containsAny(notice, delayPhrases) && !containsAny(notice, permanentPhrases) {
		rep.Ignored = "delayed"
		return
	}
	status := ""
	if _, ok := findEnhanced(notice); !ok && !replyRe.MatchString(notice) && containsAny(notice, permanentPhrases) {
		status = "5.0.0" // "failed permanently", with no code to say more
	}
	rep.Kind, rep.Status = Classify("failed", status, notice)
	rep.Diagnostic = diagnosticLine(notice)
}

// originalMarkers are the lines after which a text bounce returns the
// original message (or its header).
var originalMarkers = []string{
	"--- below this line is a copy of the message",
	"----- original message -----",
	"original message headers:",
	"------ this is a copy of the message, including all the headers",
	"----- original message follows -----",
	"--- the header of the original message is following",
	"----- the original message was",
	"------ original message ------",
	"----- message header follows -----",
	"content-type: message/rfc822",
	"returned message follows",
}

// splitOriginal splits a bounce's text into the notice and the returned
// original that follows it.
func splitOriginal(text string) (notice, original string) {
	lower := strings.ToLower(text)
	cut := -1
	for _, m := range originalMarkers {
		if i := strings.Index(lower, m); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		return text, ""
	}
	rest := text[cut:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		return text[:cut], rest[i+1:]
	}
	return text[:cut], ""
}

// headerAfter reads the header of a returned original: the first block of
// fields after any blank lines.
func headerAfter(s string) (header, bool) {
	s = strings.TrimLeft(s, " \t\r\n")
	if s == "" {
		return nil, false
	}
	h, _, ok := readHeader([]byte(s))
	return h, ok
}

// failedRecipient is the first address of X-Failed-Recipients (Exim's and
// Gmail's), "" when there is none.
func failedRecipient(h header) string {
	v := strings.TrimSpace(h.get("X-Failed-Recipients"))
	first, _, _ := strings.Cut(v, ",")
	return strings.TrimSpace(first)
}

var addressRe = regexp.MustCompile(`[A-Za-z0-9._%+\-=']+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)

// firstAddress is the first address in a notice that is not the
// reporter's own nor one of the bounce addresses.
func firstAddress(notice string) string {
	for _, a := range addressRe.FindAllString(notice, 20) {
		l := strings.ToLower(a)
		if strings.HasPrefix(l, "mailer-daemon@") || strings.HasPrefix(l, "postmaster@") ||
			strings.HasPrefix(l, LocalPrefix) {
			continue
		}
		return strings.TrimRight(a, ".-")
	}
	return ""
}

// delayPhrases say a message is late, not lost; permanentPhrases that it
// is lost. A notice with the first and none of the second is a warning.
// warningPhrases settle it alone: the banner of Postfix's, Sendmail's and
// Gmail's delay notices, whose text goes on to say the message "could not
// be delivered" for some hours.
var (
	warningPhrases = []string{
		"this is a warning only", "this is a warning message only",
		"you do not need to resend your message",
	}
	delayPhrases = []string{
		"has been delayed", "delivery delayed", "delivery is delayed",
		"will retry", "will continue trying", "still trying",
		"delivery attempts will continue", "not yet been delivered",
		"will be retried", "still being retried",
	}
	permanentPhrases = []string{
		"failed permanently", "permanent error", "permanent fatal error",
		"permanent failure", "i'm not going to try again", "delivery has failed",
		"could not be delivered", "couldn't be delivered", "wasn't delivered",
		"was not delivered", "unable to deliver", "undeliverable",
	}
)

// diagnosticLine is the line of a notice holding its first status code:
// the remote server's own words, as near as a text bounce gives them. A
// short line (qmail's ". (#5.5.0)") takes the line before it along.
func diagnosticLine(notice string) string {
	// Group 1 of either pattern is where the code itself starts.
	at := -1
	if m := enhancedRe.FindStringSubmatchIndex(notice); m != nil {
		at = m[2]
	}
	if m := replyRe.FindStringSubmatchIndex(notice); m != nil && (at < 0 || m[2] < at) {
		at = m[2]
	}
	if at < 0 {
		return ""
	}
	start := strings.LastIndexByte(notice[:at], '\n') + 1
	end := strings.IndexByte(notice[at:], '\n')
	if end < 0 {
		end = len(notice)
	} else {
		end += at
	}
	line := strings.TrimSpace(notice[start:end])
	if len(line) < 20 && start > 0 {
		prev := strings.TrimRight(notice[:start-1], "\r")
		line = strings.TrimSpace(prev[strings.LastIndexByte(prev, '\n')+1:]) + " " + line
	}
	return line
}

// parseAddress returns the address of a header's first mailbox.
func parseAddress(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		if as, err2 := mail.ParseAddressList(s); err2 == nil && len(as) > 0 {
			return as[0].Address, nil
		}
		return "", err
	}
	return a.Address, nil
}
