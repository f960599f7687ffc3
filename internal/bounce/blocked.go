package bounce

import "regexp"

// Refusals of the sender or of the message rather than of the address
// (Blocked). Receiving servers say so by code, for authentication and
// reputation, or only in words, under a code that says no more than
// "refused by policy" or "permanent" (5.7.1, 5.0.0, a bare 550 or 554).

// senderDetails are the details of 5.7.x that refuse the sender or the
// message: RFC 3463's cryptographic and integrity failures (x.7.5 to
// x.7.7), RFC 4954's refusals of the sending account (x.7.8, x.7.9,
// x.7.11) and RFC 3463's x.7.13 and x.7.14 (the sending account disabled,
// no trust), RFC 6710's priority refusals (x.7.15, x.7.16), and RFC 7372's
// authentication, DMARC, ARC, mail flood and REQUIRETLS codes (x.7.20 to
// x.7.30). x.7.17 and x.7.18 (the mailbox's or domain's owner changed)
// are about the address, and stay soft.
var senderDetails = map[int]bool{5: true, 6: true, 7: true, 8: true, 9: true, 11: true, 13: true, 14: true, 15: true, 16: true,
	20: true, 21: true, 22: true, 23: true, 24: true, 25: true, 26: true, 27: true, 28: true, 29: true, 30: true}

// microsoftSender reports whether a detail of Microsoft 365's 5.7.5xx to
// 5.7.750 refuses the sending IP, domain or tenant ("Access denied, spam
// abuse detected", "banned sender", "sending domain does not pass
// DMARC", "banned sending IP" 5.7.606 to 5.7.649, "tenant has exceeded
// threshold" 5.7.700 to 5.7.749, "unregistered domains" 5.7.750). Those
// about the recipient are not: 5.7.503 and 5.7.505 ("banned
// recipient"), 5.7.504 ("Recipient address rejected", an address the
// domain does not have) and 5.7.507 ("rejected by recipient").
func microsoftSender(detail int) bool {
	switch detail {
	case 503, 504, 505, 507:
		return false
	}
	return detail >= 500 && detail <= 750
}

// refusesTheSender reports whether a failure of code, with the server's
// words, refuses the sender or the message rather than the address.
func refusesTheSender(code enhancedCode, diagnostic string) bool {
	if code.class != 5 {
		return false
	}
	if code.subject == 7 && (senderDetails[code.detail] || microsoftSender(code.detail)) {
		return true
	}
	// Under a code that says no more than "permanent", words that say the
	// address does not exist are about the reader, whatever else the
	// reply holds (a gateway's name, a link to its policy): they made it
	// a hard bounce before blocks were told apart, and still do, so that
	// a dead address is not mailed for ever.
	if code.unspecific() && saysAddressUnknown(diagnostic) {
		return false
	}
	// Other security or policy refusals (5.7.1, Yahoo's 5.7.2), or a code
	// that says no more than "permanent": the words decide.
	return (code.subject == 7 || code.unspecific()) && blockedRe.MatchString(diagnostic)
}

// blockedRe is how servers say, under a code that does not, that the
// sending IP or domain is blocked or of poor reputation, the sender
// failed authentication, or the message was taken for spam: Spamhaus and
// the other block lists, Microsoft's S3150, Yahoo's TSS codes, Gmail's
// "likely unsolicited mail" and "sender is unauthenticated". Not "listed
// in" (Domino's user unknown is "not listed in Domino Directory") nor
// "not authenticated" (Microsoft's 5.7.133 to 5.7.136: a group that
// takes mail from its own senders only, which refuses this reader's
// digests for good).
var blockedRe = regexp.MustCompile(`(?i)block ?list|black ?list|blocked (using|by|for|due)|` +
	`\b(spamhaus|spamcop|barracuda|sorbs|dnsbl|rbl|s3150|s3140|tss0[49])\b|` +
	`reputation|banned sending|unsolicited|\bspam\b|` +
	`policy reasons|unauthenticated|\b(dmarc|spf|dkim)\b|permanently deferred`)

// RefusesTheSender reports whether an SMTP reply refusing a message at
// the send ("550 5.7.26 ... unauthenticated") refuses the sender or the
// message rather than the recipient, so that it does not count against
// the reader.
func RefusesTheSender(reply string) bool {
	return refusesTheSender(statusCode("", reply), reply)
}
