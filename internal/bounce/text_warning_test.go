package bounce

import (
	"strings"
	"testing"
)

// postfixDelayText is the text of Postfix's delay notice, as it reaches
// us when a relay on the way kept its words and dropped its
// message/delivery-status part.
const postfixDelayText = `From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: bounces+1026.ilazo2tvl2j26tsp@bounce.example.com
Subject: Delayed Mail (still being retried)
Message-Id: <20250811070051.7C1F83E0@mx.example.net>
Date: Mon, 11 Aug 2025 07:00:51 +0000

This is the mail system at host mx.example.net.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

<lento@example.net>: host mx.example.org[192.0.2.1] said: 450 4.2.0
    <lento@example.net>: Recipient address rejected: Greylisted
`

// TestParseTextWarnings: a notice that says it is a warning only is no
// bounce, even where it also says the message "could not be delivered"
// (for some hours); a notice that gave up stays one.
func TestParseTextWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		kind      Kind
		ignored   string
	}{
		{"postfix delay", postfixDelayText, "", "delayed"},
		{"postfix delay, upper case", strings.ToUpper(postfixDelayText), "", "delayed"},
		{"given up", strings.NewReplacer(
			"THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE.", "        I'M SORRY TO HAVE TO INFORM YOU.        ",
			"for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.", "to one or more recipients.",
			"450 4.2.0", "550 5.1.1").Replace(postfixDelayText), Hard, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Parse([]byte(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Type != TypeDSN || rep.Kind != tc.kind || rep.Ignored != tc.ignored {
				t.Errorf("Parse = %s, kind %q, ignored %q; want dsn, %q, %q", rep.Type, rep.Kind, rep.Ignored, tc.kind, tc.ignored)
			}
		})
	}
}
