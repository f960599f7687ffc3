package bounce

import "testing"

// TestUnknownAddressIsNotBlocked: a refusal whose code says no more than
// "permanent" (5.0.0, 5.7.0, a bare 550) and whose words say the address
// does not exist stays a hard bounce (at the send: it counts against the
// reader), even when its words also hold one of those of a block (a
// gateway's name, a link to its policy): taken for blocked, a dead
// address would be mailed for ever, and mailing dead addresses is what
// gets a sender blocked.
func TestUnknownAddressIsNotBlocked(t *testing.T) {
	for _, diagnostic := range []string{
		"smtp; 550 5.0.0 <reader@example.org>: Recipient address rejected: User unknown in relay recipient table (spam filter mx2.example.net)",
		"550 No such user here - see https://postmaster.example.net/spam-policy",
		"550 5.7.0 <reader@example.org>: user unknown; checked by dnsbl.example.net",
	} {
		if kind, _ := Classify("failed", "5.0.0", diagnostic); kind != Hard {
			t.Errorf("Classify(failed, 5.0.0, %q) = %q, want hard", diagnostic, kind)
		}
		if RefusesTheSender(diagnostic) {
			t.Errorf("RefusesTheSender(%q): a refusal of the address taken for one of the sender", diagnostic)
		}
	}
	// A block under the same vague codes is still one.
	for _, diagnostic := range []string{
		"554 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
		"550 5.7.0 Message rejected for policy reasons",
	} {
		if kind, _ := Classify("failed", "5.0.0", diagnostic); kind != Blocked {
			t.Errorf("Classify(failed, 5.0.0, %q) = %q, want blocked", diagnostic, kind)
		}
	}
}
