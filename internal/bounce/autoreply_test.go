package bounce

import "testing"

// TestAutoReplyByNameNumbers: an out-of-office from postmaster@ is read
// for a status code to tell it from a text bounce. A date or telephone
// number in its words is no code; a server's reply in a notice is one.
func TestAutoReplyByNameNumbers(t *testing.T) {
	const head = "From: Postmaster <postmaster@example.net>\r\nSubject: Automatic reply: Your digest\r\n" +
		"Auto-Submitted: auto-replied\r\n\r\n"
	for _, tc := range []struct {
		name, raw string
		typ       ReportType
		kind      Kind
	}{
		{"telephone", head + "This mailbox is read on weekdays.\r\nFor urgent matters call +1 555-0143.\r\n", TypeAutoReply, ""},
		{"telephone with spaces", head + "Office closed. Call 0800 450 300 for help.\r\n", TypeAutoReply, ""},
		{"date", head + "The office is closed until 5.1.26.\r\n", TypeAutoReply, ""},
		{"date and time", head + "Back on 2.1.26 at 8:00.\r\n", TypeAutoReply, ""},
		{"reply and status", head + "Remote host said: 550 5.1.1 <gone@example.net>... User unknown\r\n", TypeDSN, Hard},
		{"reply, hyphen", head + "<gone@example.net>: 550-5.1.1 The email account that you tried to reach does not exist\r\n", TypeDSN, Hard},
		{"qmail's mark", head + "Sorry, no mailbox here by that name. (#5.1.1)\r\n", TypeDSN, Hard},
		{"status field", head + "Status: 5.2.2\r\nmailbox full\r\n", TypeDSN, Soft},
		{"mail system, reply alone", "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nSubject: Returned mail\r\n" +
			"Auto-Submitted: auto-replied\r\n\r\n<gone@example.net>: host said: 550 No such user here\r\n", TypeDSN, Hard},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Parse([]byte(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Type != tc.typ || rep.Kind != tc.kind {
				t.Errorf("Parse = %s, kind %q (status %q); want %s, %q", rep.Type, rep.Kind, rep.Status, tc.typ, tc.kind)
			}
		})
	}
}
