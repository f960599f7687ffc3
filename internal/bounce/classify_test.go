package bounce

import "testing"

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		action, status, diagnostic string
		kind                       Kind
		code                       string
	}{
		// Not failures.
		{"delivered", "2.0.0", "250 ok", "", ""},
		{"relayed", "2.0.0", "", "", ""},
		{"expanded", "2.0.0", "", "", ""},
		{"Delayed", "4.4.1", "connection timed out", "", ""},
		// Address failures: hard.
		{"failed", "5.1.1", "550 5.1.1 user unknown", Hard, "5.1.1"},
		{"failed", "5.1.2", "550 5.1.2 bad destination system", Hard, "5.1.2"},
		{"failed", "5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound", Hard, "5.1.10"},
		{"failed", "5.2.1", "550 5.2.1 account disabled", Hard, "5.2.1"},
		{"", "", "smtp; 550 5.1.1 <x@example.net>... User Unknown", Hard, "5.1.1"},
		// x.0.0 over a specific code: the specific one decides.
		{"failed", "5.0.0", "smtp; 550 5.1.1 <x@example.net>: Recipient address rejected", Hard, "5.1.1"},
		{"failed", "5.0.0 (permanent failure)", "550 user unknown", Hard, "5.0.0"},
		{"failed", "5.5.0", "550 Unknown user nadie@example.net", Hard, "5.5.0"},
		{"failed", "", "550 No such user here", Hard, "5.0.0"},
		// Yahoo's and AOL's words for an address they do not have, behind a
		// relay that reports no more than 5.0.0.
		{"failed", "5.0.0", "smtp; 554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com", Hard, "5.0.0"},
		{"failed", "5.0.0", "554 delivery error: dd This user doesn’t have an aol.com account", Hard, "5.0.0"},
		{"failed", "", "550 No mailbox here by that name", Hard, "5.0.0"},
		{"failed", "", "550 <x@example.net>: no such address here", Hard, "5.0.0"},
		{"failed", "5.0.0", "550 Requested action not taken: mailbox unavailable", Soft, "5.0.0"},
		{"failed", "5.0.0", "552 mailbox full: user does not exist in quota table? quota exceeded", Soft, "5.0.0"},
		// The sender's address, not the reader's: soft.
		{"failed", "5.1.7", "550 5.1.7 bad sender address syntax", Soft, "5.1.7"},
		{"failed", "5.1.8", "553 5.1.8 sender domain does not exist", Soft, "5.1.8"},
		// Microsoft's 5.1.90: the sending account's daily limit of
		// recipients, and 5.1.x codes RFC 3463 does not define as a bad
		// address: soft.
		{"failed", "5.1.90", "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients", Soft, "5.1.90"},
		{"failed", "5.1.5", "550 5.1.5 destination address valid", Soft, "5.1.5"},
		{"failed", "5.1.9", "550 5.1.9 message relayed to non-compliant mailer", Soft, "5.1.9"},
		{"failed", "5.1.3", "501 5.1.3 bad recipient address syntax", Hard, "5.1.3"},
		{"failed", "5.1.6", "550 5.1.6 recipient no longer on server", Hard, "5.1.6"},
		// Mailbox full, too large, content, the recipient's own rules: soft.
		{"failed", "5.2.2", "552 5.2.2 Mailbox full", Soft, "5.2.2"},
		{"failed", "5.2.3", "552 5.2.3 message too long", Soft, "5.2.3"},
		{"failed", "5.3.4", "552 5.3.4 message too big", Soft, "5.3.4"},
		{"failed", "5.4.4", "550 5.4.4 unable to route", Soft, "5.4.4"},
		{"failed", "5.7.1", "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized", Soft, "5.7.1"},
		{"failed", "5.7.124", "550 5.7.124 Sender not in allowed-senders list", Soft, "5.7.124"},
		{"failed", "5.7.17", "550 5.7.17 Mailbox owner has changed", Soft, "5.7.17"},
		{"failed", "5.7.1", "550 5.7.1 Message garbled in transit", Soft, "5.7.1"}, // "rbl" inside a word
		// Microsoft's 5.7.5xx about the recipient, and its groups that take
		// mail from their own senders only: refused for good, counted.
		{"failed", "5.7.504", "550 5.7.504 Recipient address rejected: Access denied", Soft, "5.7.504"},
		{"failed", "5.7.505", "550 5.7.505 Access denied, banned recipient", Soft, "5.7.505"},
		{"failed", "5.7.133", "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group", Soft, "5.7.133"},
		// Domino's user unknown: hard, not a block list's "listed in".
		{"failed", "", "550 5.0.0 User lectora not listed in Domino Directory", Hard, "5.0.0"},
		{"failed", "5.7.0", "550 5.7.0 user unknown", Hard, "5.7.0"}, // x.y.0: the words decide
		// The sender or the message refused, not the address: blocked.
		{"failed", "5.7.1", "554 5.7.1 blocked using dnsbl", Blocked, "5.7.1"},
		{"failed", "5.7.26", "550 5.7.26 unauthenticated email is not accepted", Blocked, "5.7.26"},
		{"failed", "5.7.1", "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.", Blocked, "5.7.1"},
		{"failed", "5.7.23", "550 5.7.23 SPF validation failed", Blocked, "5.7.23"},
		{"failed", "", "550 5.7.1 Our system has detected that this message is likely unsolicited mail.", Blocked, "5.7.1"},
		{"failed", "5.7.1", "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", Blocked, "5.7.1"},
		{"failed", "5.7.606", "550 5.7.606 Access denied, banned sending IP [192.0.2.1]", Blocked, "5.7.606"},
		{"failed", "5.7.509", "550 5.7.509 Access denied, sending domain example.org does not pass DMARC verification", Blocked, "5.7.509"},
		{"failed", "5.7.750", "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains", Blocked, "5.7.750"},
		{"failed", "", "554 5.7.1 Service unavailable; client [192.0.2.1] is listed on the Spamhaus Block List", Blocked, "5.7.1"},
		{"failed", "", "554 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", Blocked, "5.0.0"},
		{"failed", "5.7.2", "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred", Blocked, "5.7.2"},
		{"failed", "5.7.9", "554 5.7.9 Message not accepted for policy reasons", Blocked, "5.7.9"},
		// Temporary, or nothing to go by: soft.
		{"failed", "4.2.2", "452 4.2.2 over quota", Soft, "4.2.2"},
		{"failed", "4.0.0", "DNS Error: domain name not found", Soft, "4.0.0"},
		{"failed", "", "", Soft, ""},
		{"failed", "", "421 try again later", Soft, "4.0.0"},
		// Numbers that are not codes.
		{"failed", "", "host 192.5.1.1 [10.5.1.1] version 2.5.1.1 said no", Soft, ""},
	} {
		kind, code := Classify(tc.action, tc.status, tc.diagnostic)
		if kind != tc.kind || code != tc.code {
			t.Errorf("Classify(%q, %q, %q) = %q, %q; want %q, %q",
				tc.action, tc.status, tc.diagnostic, kind, code, tc.kind, tc.code)
		}
	}
}
