package ingest

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

func readFixture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseListingFixture(t *testing.T) {
	items, lineErrs, err := ParseListing(bytes.NewReader(readFixture(t)))
	if err != nil || len(lineErrs) > 0 {
		t.Fatalf("err %v, line errors %v", err, lineErrs)
	}
	if len(items) != 10 {
		t.Fatalf("got %d items, want 10", len(items))
	}
	tests := []struct {
		name        string
		item        ParsedItem
		line        int
		date        domain.Date
		title       string
		summaryHead string
	}{
		{"first", items[0], 1, domain.NewDate(2020, time.December, 16),
			"Mexico: UN agencies promote labor inclusion of migrants in the recovery phase of the COVID-19 pandemic",
			"Representatives of the Mexican Business Council"},
		{"last", items[9], 60, domain.NewDate(2020, time.November, 12),
			"Panama: IOM collaborates with Morgan & Morgan to strengthen access to legal tools for migrants",
			"On October 27, IOM launched"},
		{"no-break spaces cleaned", items[4], 30, domain.NewDate(2020, time.November, 25),
			"Mexico: IOM and its Partners Facilitate Access to Regular and Safe Migration in Times of COVID-19",
			"The “Migrating Informed” campaign has been launched in southern Mexico. It is an initiative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.item.Line != tc.line || !tc.item.PublishedOn.Equal(tc.date.Time) || tc.item.Title != tc.title {
				t.Errorf("got line %d, %s, %q; want line %d, %s, %q",
					tc.item.Line, tc.item.PublishedOn, tc.item.Title, tc.line, tc.date, tc.title)
			}
			if !strings.HasPrefix(tc.item.Summary, tc.summaryHead) {
				t.Errorf("summary %q does not start with %q", tc.item.Summary, tc.summaryHead)
			}
			if tc.item.Summary != strings.TrimSpace(tc.item.Summary) || strings.Contains(tc.item.Summary, "\u00a0") {
				t.Errorf("summary not cleaned: %q", tc.item.Summary)
			}
		})
	}
}

func TestParseDateShapes(t *testing.T) {
	dec16 := domain.NewDate(2020, time.December, 16)
	sep5 := domain.NewDate(2018, time.September, 5)
	tests := []struct {
		in   string
		want domain.Date
	}{
		{"16 December, 2020", dec16},
		{"16 December 2020", dec16},
		{"December 16, 2020", dec16},
		{"December 16 2020", dec16},
		{"Dec. 16, 2020", dec16},
		{"16th December 2020", dec16},
		{"Wednesday, September 5, 2018", sep5},
		{"Wednesday 5 September 2018", sep5},
		{"2020-12-16", dec16},
		{"2020/12/16", dec16},
		{"2020‐12‐16", dec16}, // typographic hyphens
		{"16 de diciembre de 2020", dec16},
		{"miércoles, 16 de diciembre de 2020", dec16},
		{"Miercoles 16 de Diciembre, 2020", dec16},
		{"5 Enero, 2018", domain.NewDate(2018, time.January, 5)},
		{"1º de setiembre de 2018", domain.NewDate(2018, time.September, 1)},
		// French, as its catalogue writes dates.
		{"16 décembre 2020", dec16},
		{"mercredi 16 décembre 2020", dec16},
		{"Mercredi, 16 Décembre 2020", dec16},
		{"1er décembre 2020", domain.NewDate(2020, time.December, 1)},
		{"lundi 1er février 2021", domain.NewDate(2021, time.February, 1)},
		{"5 août 2018", domain.NewDate(2018, time.August, 5)},
		{"29 February 2020", domain.NewDate(2020, time.February, 29)},
		{"16 DECEMBER 2020", dec16},
		{"16/12/2020", dec16}, // a part above 12 is the day
		{"12/16/2020", dec16},
		{"16-12-2020", dec16},
		{"16.12.2020", dec16},
		{"Wednesday, 16.12.2020", dec16},
		{"5/5/2020", domain.NewDate(2020, time.May, 5)},                  // either way the same day
		{"Wednesday 09/12/2020", domain.NewDate(2020, time.December, 9)}, // 12 September 2020 was a Saturday
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if !looksLikeDate(tc.in) {
				t.Fatalf("not recognised as a date")
			}
			got, problem := parseDate(tc.in, DateOrderUnknown)
			if problem != dateOK || !got.Equal(tc.want.Time) {
				t.Errorf("got %s (problem %d), want %s", got, problem, tc.want)
			}
		})
	}
}

// Titles and summaries that start like a date must stay text; typos in
// dates must still be recognised as dates so that they are reported.
func TestLooksLikeDate(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"32 Foo, 2020", true},
		{"16 Decmber 2020", true},
		{"16 December", true},
		{"December 2020", true},
		{"05/09/2018", true},
		{"2020 in review: migration in Central America", false},
		{"May Day marches across the region", false},
		{"16 migrants rescued off the coast of Honduras", false},
		{"March for migrants' rights in Tapachula", false},
		{"Mexico: UN agencies promote labor inclusion", false},
		{"100 days of the pandemic: what we learned", false},
		{"Sunday", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := looksLikeDate(tc.in); got != tc.want {
				t.Errorf("looksLikeDate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseListingTolerance(t *testing.T) {
	const plain = "16 December, 2020\n\nTitle one\n\nSummary one.\n\n2020-11-25\nTitle two\n"
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(plain)
	latin1, _ := charmap.Windows1252.NewEncoder().String(strings.Replace(plain, "Title one", "Dajabón “one”", 1))
	tests := []struct {
		name      string
		in        string
		wantTitle string
	}{
		{"LF", plain, "Title one"},
		{"CRLF", strings.ReplaceAll(plain, "\n", "\r\n"), "Title one"},
		{"BOM", "\uFEFF" + plain, "Title one"},
		{"UTF-16 with BOM", utf16, "Title one"},
		{"Windows-1252", latin1, "Dajabón “one”"},
		{"UTF-8 with a damaged byte", strings.Replace(plain, "Title one", "Dajabón \xff one", 1), "Dajabón one"}, // CleanText drops the replacement character
		{"three blank lines", strings.ReplaceAll(plain, "\n\n", "\n\n\n\n"), "Title one"},
		{"trailing and no-break spaces", strings.ReplaceAll(plain, "\n", " \u00a0\t\n"), "Title one"},
		{"blank lines of spaces", strings.ReplaceAll(plain, "\n\n", "\n  \u00a0 \n"), "Title one"},
		{"leading blank lines", "\n\n\n" + plain, "Title one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, lineErrs, err := ParseListing(strings.NewReader(tc.in))
			if err != nil || len(lineErrs) > 0 {
				t.Fatalf("err %v, line errors %v", err, lineErrs)
			}
			if len(items) != 2 || items[0].Title != tc.wantTitle || items[0].Summary != "Summary one." ||
				items[1].Title != "Title two" || items[1].Summary != "" {
				t.Errorf("got %+v", items)
			}
		})
	}
}

func TestParseListingURL(t *testing.T) {
	tests := []struct {
		name, in, url, summary string
	}{
		{"URL instead of a summary", "1 May 2020\nT\n\nhttps://example.org/a\n", "https://example.org/a", ""},
		{"URL after the summary", "1 May 2020\nT\n\nS.\n\nhttps://example.org/a\n", "https://example.org/a", "S."},
		{"URL inside the summary block", "1 May 2020\nT\n\nS.\n<https://example.org/a>\n", "https://example.org/a", "S."},
		{"URL in a sentence stays text", "1 May 2020\nT\n\nSee https://example.org/a now.\n", "", "See https://example.org/a now."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, lineErrs, err := ParseListing(strings.NewReader(tc.in))
			if err != nil || len(lineErrs) > 0 || len(items) != 1 {
				t.Fatalf("items %v, err %v, line errors %v", items, err, lineErrs)
			}
			if items[0].URL != tc.url || items[0].Summary != tc.summary {
				t.Errorf("got URL %q summary %q", items[0].URL, items[0].Summary)
			}
		})
	}
}

func TestParseListingErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []LineError
		items int
	}{
		{"unreadable date", "1 May 2020\nT1\n\nS1\n\n\n32 Foo, 2020\nT2\n\nS2\n\n2 May 2020\nT3\n",
			[]LineError{{Line: 7, Message: `unreadable date "32 Foo, 2020"`}}, 2},
		{"impossible day", "31 November 2020\nT\n", []LineError{{Line: 1, Message: `unreadable date "31 November 2020"`}}, 0},
		{"ambiguous numeric date", "05/09/2018\nT\n", []LineError{{Line: 1, Message: `ambiguous date "05/09/2018": day and month could be ` +
			`either way round (write the month in words, or give the listing's date order: mdy or dmy)`}}, 0},
		// A date line, then a second one that cannot be read in one way
		// only: two faults, not a story whose title is a date.
		{"ambiguous numeric date right after a date", "16 December, 2020\n\n05/09/2020\n\nSummary about Mexico.\n",
			[]LineError{{Line: 1, Message: `no title after the date "16 December 2020"`},
				{Line: 3, Message: `ambiguous date "05/09/2020": day and month could be either way round ` +
					`(write the month in words, or give the listing's date order: mdy or dmy)`}}, 0},
		{"two-digit year right after a date", "16 December 2020\n16/12/20\nT\n",
			[]LineError{{Line: 1, Message: `no title after the date "16 December 2020"`},
				{Line: 2, Message: `date with a two-digit year "16/12/20": write the year in full`}}, 0},
		{"numeric date without a year", "1 May 2020\nT1\n\n16/12\n\nT2\n", []LineError{{Line: 4, Message: `date without a year "16/12"`}}, 1},
		{"numeric date with a two-digit year", "16/12/20\nT\n", []LineError{{Line: 1, Message: `date with a two-digit year "16/12/20": write the year in full`}}, 0},
		{"impossible numeric date", "31/02/2020\nT\n", []LineError{{Line: 1, Message: `unreadable date "31/02/2020"`}}, 0},
		{"numeric date and more", "16/12/2020 17\nT\n", []LineError{{Line: 1, Message: `unreadable date "16/12/2020 17"`}}, 0},
		{"no year", "1 May 2020\nT1\n\n16 December\n\nT2\n", []LineError{{Line: 4, Message: `date without a year "16 December"`}}, 1},
		{"title missing before the next date", "1 May 2020\n\n2 May 2020\nT2\n",
			[]LineError{{Line: 1, Message: `no title after the date "1 May 2020"`}}, 1},
		{"title missing at the end", "1 May 2020\nT1\n\n2 May 2020\n\n", []LineError{{Line: 4, Message: `no title after the date "2 May 2020"`}}, 1},
		{"text before the first date", "My listing\nof news\n\nIntro.\n\n1 May 2020\nT\n",
			[]LineError{{Line: 1, Message: `text before the first date: "My listing"`}, {Line: 4, Message: `text before the first date: "Intro."`}}, 1},
		{"misspelt date read as a second paragraph", "1 May 2020\nT1\n\nS1\n\nDecmber 16, 2020\n\nT2\n",
			[]LineError{{Line: 6, Message: `expected a date line to start the next item, found "Decmber 16, 2020" (a summary is one paragraph)`}}, 1},
		{"bad URL", "1 May 2020\nT\n\nhttps://\n", []LineError{{Line: 4, Message: `unreadable URL "https://"`}}, 1},
		{"two URLs", "1 May 2020\nT\n\nhttps://a.example\nhttps://b.example\n", []LineError{{Line: 5, Message: "second URL for the same item"}}, 1},
		{"title too long", "1 May 2020\n" + strings.Repeat("word ", 200) + "\n",
			[]LineError{{Line: 2, Message: "title longer than 250 characters: a paragraph, not a title (is the title line missing?)"}}, 1},
		// A NUL is in no text file: UTF-16 without its BOM, or a binary
		// file sent as a listing.
		{"NUL byte", "1 May 2020\nT1\n\nS\x00ummary\n",
			[]LineError{{Line: 4, Message: "holds a NUL byte: not a plain-text listing (UTF-16 without a byte-order mark, or not text at all)"}}, 1},
		// A binary file says so once, not once for each garbled line.
		{"a binary file", "%PDF-1.7\n\x00\x01garbage\n1 May 2020\nstream\x00\n\x00\x00\n",
			[]LineError{{Line: 2, Message: "not a plain-text listing: 3 lines hold NUL bytes (a binary file such as a PDF or a spreadsheet, " +
				"or UTF-16 without a byte-order mark); save it as plain text"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, got, err := ParseListing(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got errors %v, want %v", got, tc.want)
			}
			for i := range got {
				// The code and its argument are the console's; the
				// message is what the API says.
				if g := (LineError{Line: got[i].Line, Message: got[i].Message}); g != tc.want[i] {
					t.Errorf("error %d = %v, want %v", i, got[i], tc.want[i])
				}
			}
			if len(items) != tc.items {
				t.Errorf("got %d items, want %d", len(items), tc.items)
			}
		})
	}
}

// With the order given, every numeric date is read in it; one that does
// not fit says so rather than being read the other way round.
func TestParseListingDateOrder(t *testing.T) {
	const listing = "04/10/2019\nT1\n\n05/10/2019\nT2\n"
	tests := []struct {
		order DateOrder
		want  []domain.Date
		errs  []LineError
	}{
		{DateOrderDMY, []domain.Date{domain.NewDate(2019, time.October, 4), domain.NewDate(2019, time.October, 5)}, nil},
		{DateOrderMDY, []domain.Date{domain.NewDate(2019, time.April, 10), domain.NewDate(2019, time.May, 10)}, nil},
		{DateOrderUnknown, nil, []LineError{
			{Line: 1, Message: `ambiguous date "04/10/2019": day and month could be either way round (write the month in words, or give the listing's date order: mdy or dmy)`,
				Code: "date_ambiguous", Arg: "04/10/2019"},
			{Line: 4, Message: `ambiguous date "05/10/2019": day and month could be either way round (write the month in words, or give the listing's date order: mdy or dmy)`,
				Code: "date_ambiguous", Arg: "05/10/2019"}}},
	}
	for _, tc := range tests {
		t.Run("order "+tc.order.String(), func(t *testing.T) {
			items, lineErrs, err := ParseListing(strings.NewReader(listing), WithDateOrder(tc.order))
			if err != nil || !slices.Equal(lineErrs, tc.errs) {
				t.Fatalf("errors %v, %v; want %v", lineErrs, err, tc.errs)
			}
			var got []domain.Date
			for _, it := range items {
				got = append(got, it.PublishedOn)
			}
			if !slices.EqualFunc(got, tc.want, func(a, b domain.Date) bool { return a.Equal(b.Time) }) {
				t.Errorf("dates %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a date that does not fit the order", func(t *testing.T) {
		_, lineErrs, _ := ParseListing(strings.NewReader("25/12/2020\nT\n"), WithDateOrder(DateOrderMDY))
		want := []LineError{{Line: 1, Message: `date "25/12/2020" cannot be read in the date order given (mdy)`,
			Code: "date_order_mismatch", Arg: "25/12/2020"}}
		if !slices.Equal(lineErrs, want) {
			t.Errorf("got %v, want %v", lineErrs, want)
		}
	})
}

func TestParseDateOrder(t *testing.T) {
	for in, want := range map[string]DateOrder{"": DateOrderUnknown, "mdy": DateOrderMDY, "DMY": DateOrderDMY, " dmy ": DateOrderDMY} {
		if got, err := ParseDateOrder(in); err != nil || got != want {
			t.Errorf("ParseDateOrder(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"ymd", "md", "day-first"} {
		_, err := ParseDateOrder(in)
		if !errs.Is(err, errs.Malformed) || !strings.HasPrefix(errs.MessageOf(err), "date_order: ") {
			t.Errorf("ParseDateOrder(%q) = %v, want a malformed error naming date_order", in, err)
		}
	}
}

// Odd apostrophes are the same text as a straight one.
func TestParseListingApostrophes(t *testing.T) {
	in := "1 May 2020\nIOM´s work in Côte d’Ivoire and ‘Migrating Informed’\n\nThe IOM`s team.\n"
	items, lineErrs, err := ParseListing(strings.NewReader(in))
	if err != nil || len(lineErrs) > 0 || len(items) != 1 {
		t.Fatalf("items %v, errors %v, %v", items, lineErrs, err)
	}
	if want := "IOM's work in Côte d'Ivoire and 'Migrating Informed'"; items[0].Title != want {
		t.Errorf("title %q, want %q", items[0].Title, want)
	}
	if want := "The IOM's team."; items[0].Summary != want {
		t.Errorf("summary %q, want %q", items[0].Summary, want)
	}
}

func TestLineErrorString(t *testing.T) {
	e := LineError{Line: 7, Message: `unreadable date "32 Foo, 2020"`}
	if got, want := e.Error(), `line 7: unreadable date "32 Foo, 2020"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseListingLimits(t *testing.T) {
	t.Run("too large", func(t *testing.T) {
		big := strings.NewReader(strings.Repeat("x", MaxListingBytes+1))
		_, _, err := ParseListing(big)
		if !errs.Is(err, errs.TooLarge) {
			t.Errorf("got %v, want a TooLarge error", err)
		}
	})
	t.Run("long line", func(t *testing.T) {
		in := "1 May 2020\nT\n\n" + strings.Repeat("y", MaxLineBytes+1) + "\n"
		_, got, err := ParseListing(strings.NewReader(in))
		if err != nil || len(got) != 2 || got[0].Line != 1 || got[1].Line != 4 {
			t.Errorf("got %v, %v; want a long-line error on line 4 and a summary-length one", got, err)
		}
	})
	t.Run("error cap", func(t *testing.T) {
		in := strings.Repeat("32 Foo, 2020\n\n", MaxLineErrors*2)
		_, got, err := ParseListing(strings.NewReader(in))
		if err != nil || len(got) != MaxLineErrors {
			t.Errorf("got %d errors (%v), want %d", len(got), err, MaxLineErrors)
		}
	})
	t.Run("empty", func(t *testing.T) {
		items, got, err := ParseListing(strings.NewReader(" \n\n"))
		if err != nil || len(got) != 0 || len(items) != 0 {
			t.Errorf("got %v %v %v", items, got, err)
		}
	})
}
