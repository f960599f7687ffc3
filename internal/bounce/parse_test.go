package bounce

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testSecret is the secret the VERP addresses in testdata were made with.
const testSecret = "testdata secret: not for production use"

func testVERP(t testing.TB) *VERP {
	t.Helper()
	v, err := NewVERP("bounce.example.com", []byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parsed is what a test checks of a report.
type parsed struct {
	Type         ReportType
	Kind         Kind
	Ignored      string
	Status       string
	Recipient    string
	FeedbackType string
	Delivery     int64 // from the report's own contents (Origins)
}

// TestParseTestdata reads each sample report as its sender wrote it and
// checks what it means and which delivery it names, found from its
// contents alone (as for a report sent to a role mailbox).
func TestParseTestdata(t *testing.T) {
	v := testVERP(t)
	want := map[string]parsed{
		"gmail-dsn-user-unknown.eml":          {TypeDSN, Hard, "", "5.1.1", "nosuchreader@example.net", "", 1001},
		"gmail-dsn-mailbox-full.eml":          {TypeDSN, Soft, "", "4.2.2", "fullbox@example.net", "", 1002},
		"gmail-dsn-empty-status.eml":          {TypeDSN, Hard, "", "5.2.1", "closed.account@example.net", "", 1003},
		"gmail-delayed.eml":                   {TypeDSN, "", "action delayed", "4.4.1", "slow.server@example.net", "", 1004},
		"gmail-legacy-text.eml":               {TypeDSN, Hard, "", "5.1.1", "old.reader@example.net", "", 1005},
		"yahoo-failure-notice.eml":            {TypeDSN, Hard, "", "5.1.1", "gone.reader@example.net", "", 1006},
		"yahoo-policy.eml":                    {TypeDSN, Blocked, "", "5.7.9", "reader.aol@example.net", "", 1007},
		"yahoo-arf-abuse.eml":                 {TypeFeedback, Complaint, "", "", "complainer@example.net", "abuse", 1008},
		"outlook-ndr-recipient-not-found.eml": {TypeDSN, Hard, "", "5.1.10", "missing.person@example.net", "", 1009},
		"outlook-ndr-text-only.eml":           {TypeDSN, Hard, "", "5.1.1", "former.staff@corp.example.net", "", 1010},
		"outlook-jmrp-arf.eml":                {TypeFeedback, Complaint, "", "", "redacted@outlook.example.net", "abuse", 1011},
		"outlook-mailbox-full.eml":            {TypeDSN, Soft, "", "5.2.2", "packed.inbox@example.net", "", 1012},
		"postfix-user-unknown.eml":            {TypeDSN, Hard, "", "5.1.1", "lector.desconocido@example.net", "", 1013},
		"postfix-mailbox-full.eml":            {TypeDSN, Soft, "", "5.2.2", "buzon.lleno@example.net", "", 1014},
		"postfix-delayed.eml":                 {TypeDSN, "", "action delayed", "4.4.1", "lento@example.net", "", 1015},
		"postfix-spam-refused.eml":            {TypeDSN, Blocked, "", "5.7.1", "lectora@example.net", "", 1016},
		"qmail-failure.eml":                   {TypeDSN, Hard, "", "5.5.0", "nadie@example.net", "", 1017},
		"rfc5965-example.eml":                 {TypeFeedback, Complaint, "", "", "user@example.net", "abuse", 1018},
		"arf-not-spam.eml":                    {TypeFeedback, "", "feedback type not-spam", "", "happy.reader@example.net", "not-spam", 1019},
		"rfc3464-multi-recipient.eml":         {TypeDSN, Hard, "", "5.0.0", "no.such.user@example.net", "", 1020},
		"autoreply-outlook.eml":               {TypeAutoReply, "", "auto-reply", "", "", "", 1021},
		"autoreply-vacation.eml":              {TypeAutoReply, "", "auto-reply", "", "", "", 1022},
		"human-reply.eml":                     {TypeOther, "", "not a bounce or a complaint", "", "", "", 1023},
		"exim-failed.eml":                     {TypeDSN, Hard, "", "5.1.1", "retired@example.net", "", 1024},
		"gateway-html-only.eml":               {TypeDSN, Hard, "", "5.1.1", "ex.colleague@partner.example.net", "", 1025},
		"autoreply-postmaster.eml":            {TypeAutoReply, "", "auto-reply", "", "", "", 1026},
		"outlook-sender-daily-limit.eml":      {TypeDSN, Soft, "", "5.1.90", "lectora.fiel@example.net", "", 1027},
		"autoreply-postmaster-holidays.eml":   {TypeAutoReply, "", "auto-reply", "", "", "", 1028},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(want) {
		t.Errorf("testdata holds %d reports, the table %d: keep them in step", len(files), len(want))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			rep, err := Parse(readTestdata(t, name))
			if err != nil {
				t.Fatal(err)
			}
			got := parsed{rep.Type, rep.Kind, rep.Ignored, rep.Status, rep.Recipient, rep.FeedbackType, 0}
			if id, ok := v.Resolve("fbl@bounce.example.com", rep); ok {
				got.Delivery = id
			}
			if d := cmp.Diff(w, got); d != "" {
				t.Errorf("Parse (-want +got):\n%s\norigins: %q", d, rep.Origins)
			}
			if rep.Kind != "" && rep.Kind != Complaint && rep.Diagnostic == "" {
				t.Errorf("bounce with no diagnostic")
			}
			if rep.MessageID == "" && name != "qmail-failure.eml" { // qmail's bounces have none
				t.Errorf("no MessageID")
			}
		})
	}
}

// TestParseDiagnostics checks that the remote server's words come through
// whole: unfolded, and from the right part of the report.
func TestParseDiagnostics(t *testing.T) {
	for name, want := range map[string]string{
		"postfix-user-unknown.eml":  "550 5.1.1 <lector.desconocido@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
		"yahoo-failure-notice.eml":  "550: 5.1.1 <gone.reader@example.net>... User Unknown",
		"qmail-failure.eml":         "Sorry, no SMTP connection got far enough; most progress was RCPT TO response; remote host 192.0.2.32 said: 550 Unknown user nadie@example.net",
		"outlook-ndr-text-only.eml": "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
		"gateway-html-only.eml":     "Reason: 550 5.1.1 <ex.colleague@partner.example.net>: Recipient address rejected: User unknown",
		"gmail-dsn-mailbox-full.eml": "452-4.2.2 The recipient's inbox is out of storage space and inactive. Please direct 452-4.2.2 the recipient to " +
			"452 4.2.2 https://support.google.example.net/mail/?p=OverQuotaPerm 5b1f17b1804b1-4561a5c6cbasi8801475e9.112 - gsmtp",
	} {
		rep, err := Parse(readTestdata(t, name))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Diagnostic != want {
			t.Errorf("%s: Diagnostic = %q, want %q", name, rep.Diagnostic, want)
		}
	}
}

// TestParseOriginsOrder checks that the feedback report's
// Original-Mail-From comes before what the text holds, and the returned
// message's header before a bare address found in the text.
func TestParseOriginsOrder(t *testing.T) {
	rep, err := Parse(readTestdata(t, "yahoo-arf-abuse.eml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bounces+1008.aividw6vqxtlk3pb@bounce.example.com", "1008.aividw6vqxtlk3pb"}
	if d := cmp.Diff(want, rep.Origins); d != "" {
		t.Errorf("Origins (-want +got):\n%s", d)
	}
	rep, err = Parse(readTestdata(t, "outlook-jmrp-arf.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Origins) == 0 || rep.Origins[0] != "bounces+1011.u4ykgezpp7t4gmcq@bounce.example.com" {
		t.Errorf("Origins = %q, want Original-Mail-From first", rep.Origins)
	}
}

// TestResolvePrefersRecipient checks that the envelope recipient decides
// when it is a VERP address, whatever the text says, and that a forged
// address in the text names nothing.
func TestResolvePrefersRecipient(t *testing.T) {
	v := testVERP(t)
	rep, err := Parse(readTestdata(t, "postfix-user-unknown.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := v.Resolve(v.Address(77), rep); !ok || id != 77 {
		t.Errorf("Resolve(VERP 77) = %d, %v; want 77", id, ok)
	}
	forged := strings.ReplaceAll(string(readTestdata(t, "postfix-user-unknown.eml")), "1013.pr6t4cszu5vjm6gh", "1099.pr6t4cszu5vjm6gh")
	rep, err = Parse([]byte(forged))
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := v.Resolve("postmaster@bounce.example.com", rep); ok {
		t.Errorf("Resolve of a report naming a forged address = %d, want none", id)
	}
}

func TestParseUnreadable(t *testing.T) {
	for _, raw := range []string{"", "\r\n\r\nbody only", "no header here at all\n"} {
		if _, err := Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%q): no error", raw)
		}
	}
}

// TestReportEvent checks the event a report makes, cut to size.
func TestReportEvent(t *testing.T) {
	rep, err := Parse(readTestdata(t, "postfix-user-unknown.eml"))
	if err != nil {
		t.Fatal(err)
	}
	e := rep.Event(1013, SourceSMTP)
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if e.ReportID != "20250514084044.4ZxK2n3Jcqz4QwE@mail.example.net" || e.At.IsZero() || e.Kind != Hard {
		t.Errorf("Event = %+v", e)
	}
	long := strings.Replace(string(readTestdata(t, "postfix-user-unknown.eml")),
		"Diagnostic-Code: smtp; 550", "Diagnostic-Code: smtp; 550 "+strings.Repeat("é", 2*DiagnosticMax), 1)
	rep, err = Parse([]byte(long))
	if err != nil {
		t.Fatal(err)
	}
	if e := rep.Event(1013, SourceSMTP); e.Validate() != nil || len(e.Diagnostic) > DiagnosticMax {
		t.Errorf("long diagnostic: %d bytes, Validate: %v", len(e.Diagnostic), e.Validate())
	}
}

// FuzzParse feeds Parse with mangled reports: it must not panic, and a
// kind it gives must be a valid one.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		rep, err := Parse(raw)
		if err != nil {
			return
		}
		if rep.Kind != "" && !rep.Kind.Valid() {
			t.Fatalf("Kind %q", rep.Kind)
		}
		if len(rep.Diagnostic) > DiagnosticMax || len(rep.Origins) > maxOrigins {
			t.Fatalf("unbounded report: %d bytes of diagnostic, %d origins", len(rep.Diagnostic), len(rep.Origins))
		}
	})
}

// BenchmarkParse reads every sample report once per iteration.
func BenchmarkParse(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	var raws [][]byte
	size := 0
	for _, f := range files {
		raw := readTestdata(b, filepath.Base(f))
		raws = append(raws, raw)
		size += len(raw)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, raw := range raws {
			if _, err := Parse(raw); err != nil {
				b.Fatal(err)
			}
		}
	}
}
