package domain

import "testing"

// TestMailboxFoldsGmailDots: Gmail delivers v.ictim@gmail.com,
// vi.ctim+x@gmail.com and victim@googlemail.com to one inbox, so they are
// one mailbox; other providers' dots are kept, since there they name
// other people.
func TestMailboxFoldsGmailDots(t *testing.T) {
	for in, want := range map[string]string{
		"v.ictim@gmail.com":           "victim@gmail.com",
		"vi.ctim@gmail.com":           "victim@gmail.com",
		"V.I.C.T.I.M@GMAIL.COM":       "victim@gmail.com",
		"vi.ctim+news@gmail.com":      "victim@gmail.com",
		"victim@googlemail.com":       "victim@gmail.com",
		"v.i.ctim+a.b@googlemail.com": "victim@gmail.com",
		"v.ictim@example.org":         "v.ictim@example.org",
		"v.ictim@gmail.com.example":   "v.ictim@gmail.com.example",
		"v.ictim@mail.gmail.com":      "v.ictim@mail.gmail.com",
	} {
		if got := Mailbox(in); got != want {
			t.Errorf("Mailbox(%q) = %q, want %q", in, got, want)
		}
	}
}
