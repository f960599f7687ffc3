package subscribers

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// known is a small taxonomy for the parser's tests.
type known struct{}

func (known) HasCountry(c string) bool { return c == "CR" || c == "MX" || c == "PA" }
func (known) HasTopic(t string) bool   { return t == "health" || t == "climate" }

// readAll runs a CSVReader to the end.
func readAll(t *testing.T, in string) ([]CSVRow, []LineError, error) {
	t.Helper()
	r, err := NewCSVReader(strings.NewReader(in), known{})
	if err != nil {
		return nil, nil, err
	}
	var rows []CSVRow
	for r.Next() {
		rows = append(rows, r.Row())
	}
	return rows, r.Errors(), r.Err()
}

func filter(countries, topics []string, lang, mode string) domain.Filter {
	if countries == nil {
		countries = []string{}
	}
	if topics == nil {
		topics = []string{}
	}
	return domain.Filter{Countries: countries, Topics: topics, Language: lang, Mode: mode}
}

func TestCSVReaderRows(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want []CSVRow
	}{
		{
			name: "semicolons, defaults",
			in:   "email,countries,topics,language\nana@example.org,cr;mx,,\n",
			want: []CSVRow{{Line: 2, Email: "ana@example.org", Filter: filter([]string{"CR", "MX"}, nil, "en", "any")}},
		},
		{
			name: "pipes, columns in another order, mode, spaces, domain folded",
			in: "Language, Topics ,email,countries,mode\r\n" +
				"es,health | climate,Luis@Example.ORG, PA ,narrow\r\n",
			want: []CSVRow{{Line: 2, Email: "Luis@example.org", Filter: filter([]string{"PA"}, []string{"climate", "health"}, "es", "narrow")}},
		},
		{
			name: "an exported file: status and created_at",
			in: "email,status,countries,topics,language,mode,created_at\n" +
				"a@example.org,active,CR,health,en,any,2024-01-02T03:04:05Z\n" +
				"b@example.org,unsubscribed,XX,gardening,fr,,2024-01-02T03:04:05Z\n" +
				"erased-17,erased,,,,,2024-01-02T03:04:05Z\n",
			want: []CSVRow{
				{Line: 2, Email: "a@example.org", Filter: filter([]string{"CR"}, []string{"health"}, "en", "any")},
				{Line: 3, Email: "b@example.org", Skip: true},
				{Line: 4, Skip: true},
			},
		},
		{
			name: "all stories: * in countries, as the export writes it",
			in: "email,status,countries,topics,language,mode,created_at\n" +
				"all@example.org,active,*,,es,any,2024-01-02T03:04:05Z\n",
			want: []CSVRow{{Line: 2, Email: "all@example.org", Filter: domain.Filter{All: true,
				Countries: []string{}, Topics: []string{}, Language: "es", Mode: "any"}}},
		},
		{
			name: "all stories: mode all, as the form's box says it",
			in:   "email,countries,topics,language,mode\nall@example.org,,,fr,ALL\n",
			want: []CSVRow{{Line: 2, Email: "all@example.org", Filter: domain.Filter{All: true,
				Countries: []string{}, Topics: []string{}, Language: "fr", Mode: "any"}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, lineErrs, err := readAll(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(lineErrs) > 0 {
				t.Errorf("unexpected errors %+v", lineErrs)
			}
			if diff := cmp.Diff(tc.want, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// Line numbers are the file's own: blank rows and quoted newlines count.
func TestCSVReaderLineNumbers(t *testing.T) {
	t.Parallel()
	in := "\uFEFFemail,countries,topics,language\n" + // 1, with the BOM spreadsheets write
		"\n" + // 2
		",,,\n" + // 3: an empty row, as spreadsheets pad exports
		"\"a@example.org\",\"CR;MX\",health,en\n" + // 4
		"\"b@example.org\",CR,\"health\nclimate\",en\n" + // 5-6: a newline is no list separator
		"c@example.org,MX,,es\n" // 7
	rows, lineErrs, err := readAll(t, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Line != 4 || rows[1].Line != 7 {
		t.Errorf("rows = %+v, want lines 4 and 7", rows)
	}
	if len(lineErrs) != 1 || lineErrs[0].Line != 5 || !strings.HasPrefix(lineErrs[0].Message, "topics:") {
		t.Errorf("errors = %+v, want one on line 5 naming topics", lineErrs)
	}
}

func TestCSVReaderRowErrors(t *testing.T) {
	t.Parallel()
	const header = "email,countries,topics,language,mode\n"
	for _, tc := range []struct {
		name  string
		row   string
		field string
	}{
		{"bad email", "not-an-address,CR,,en,", "email:"},
		{"no email", ",CR,,en,", "email:"},
		{"display name", "Ana <ana@example.org>,CR,,en,", "email:"},
		{"unknown country", "a@example.org,CR;XX,,en,", "countries:"},
		{"unknown topic", "a@example.org,,gardening,en,", "topics:"},
		{"no choices", "a@example.org,,,en,", "countries, topics:"},
		{"all stories beside a country", "a@example.org,*;CR,,en,", "countries: \"*\""},
		{"all stories beside a topic", "a@example.org,*,health,en,", "countries: \"*\""},
		{"bad language", "a@example.org,CR,,pt,", "language:"},
		{"bad mode", "a@example.org,CR,,en,wide", "mode:"},
		{"mode all beside a country", "a@example.org,CR,,en,all", "mode: \"all\""},
		{"mode all beside a topic", "a@example.org,,health,en,all", "mode: \"all\""},
		{"narrow without a topic", "a@example.org,CR,,en,narrow", "mode:"},
		{"too few fields", "a@example.org,CR,en", "has 3 fields"},
		{"not UTF-8", "a@example.org,CR,,en\xff,", "language: not UTF-8"},
		{"bare quote", "a@exa\"mple.org,CR,,en,", "not valid CSV"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, lineErrs, err := readAll(t, header+"ok@example.org,CR,,en,\n"+tc.row+"\n")
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Errorf("valid rows = %+v, want the one on line 2", rows)
			}
			if len(lineErrs) == 0 || lineErrs[0].Line != 3 || !strings.HasPrefix(lineErrs[0].Message, tc.field) {
				t.Errorf("errors = %+v, want line 3 starting %q", lineErrs, tc.field)
			}
		})
	}
}

// TestCSVReaderReportsEveryFieldOfARow: each fault of a line is said, in
// the column it is in, not only the first: the list is fixed in one
// round.
func TestCSVReaderReportsEveryFieldOfARow(t *testing.T) {
	t.Parallel()
	_, lineErrs, _ := readAll(t, "email,countries,topics,language,mode\nnope,XX,,de,\nok@example.org,XX;MX;YY,gardening,en,sometimes\n")
	type fault struct {
		Line            int
		Column, Message string
	}
	want := []fault{
		{2, "email", `email: "nope" is not a valid address`},
		{2, "countries", `countries: unknown country code "XX"`},
		{2, "language", "language: must be one of en, es, fr"},
		{3, "mode", `mode: "sometimes" is not one of any (stories about a chosen country or a chosen topic), narrow (a chosen country and a chosen topic) or all (all stories)`},
		{3, "countries", `countries: unknown country code "XX"`},
		{3, "countries", `countries: unknown country code "YY"`},
		{3, "topics", `topics: unknown topic "gardening"`},
	}
	var got []fault
	for _, e := range lineErrs {
		got = append(got, fault{e.Line, e.Column, e.Message})
		if msg := fmt.Sprintf(e.Format, e.Args...); msg != e.Message {
			t.Errorf("line %d: the message %q is not its format's %q", e.Line, e.Message, msg)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCSVReaderStopsAfterTooManyErrors(t *testing.T) {
	t.Parallel()
	in := "email,countries,topics,language\n" + strings.Repeat("bad,CR,,en\n", 1000)
	r, err := NewCSVReader(strings.NewReader(in), known{})
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	lineErrs := r.Errors()
	if len(lineErrs) != MaxCSVErrors+1 || !strings.HasPrefix(lineErrs[MaxCSVErrors].Message, "stopped reading") {
		t.Fatalf("got %d errors ending %+v", len(lineErrs), lineErrs[len(lineErrs)-1])
	}
	if r.Rows() >= 1000 {
		t.Errorf("read all %d rows; want it to stop early", r.Rows())
	}
}

func TestCSVReaderHeaderErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty file", "", "the file is empty"},
		{"no header, data first", "ana@example.org,CR,,en\n", "header: unknown column"},
		{"missing column", "email,countries,topics\n", "header: missing column language"},
		{"missing columns", "email,countries\n", "header: missing columns topics, language"},
		{"unknown column", "email,countries,topics,language,name\n", `header: unknown column "name"`},
		{"repeated column", "email,countries,topics,language,email\n", `header: column "email" appears twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCSVReader(strings.NewReader(tc.in), known{})
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid {
				t.Fatalf("err = %v, want errs.Invalid", err)
			}
			le, _ := e.Details.([]LineError)
			if len(le) != 1 || le[0].Line != 1 || !strings.HasPrefix(le[0].Message, tc.want) {
				t.Errorf("details = %+v, want line 1 starting %q", e.Details, tc.want)
			}
		})
	}
}

func TestCSVReaderReadFailure(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("email,countries,topics,language\na@example.org,CR,,en\n"), iotest.ErrReader(boom))
	cr, err := NewCSVReader(r, known{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for cr.Next() {
		n++
	}
	if n != 1 || !errors.Is(cr.Err(), boom) {
		t.Errorf("read %d rows, Err() = %v; want 1 row then the read error", n, cr.Err())
	}
}
