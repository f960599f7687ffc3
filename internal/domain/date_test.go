package domain

import (
	"encoding/json"
	"strings"
	"testing"
)

// A day is read from YYYY-MM-DD in the years stories are from; any other
// is refused saying what was wanted, or that the calendar has no such day.
func TestParseDate(t *testing.T) {
	for s, want := range map[string]string{
		"2024-01-03": "",
		"1900-01-01": "",
		"2200-12-31": "",
		"2024-13-01": "no such day in the calendar",
		"2024-02-30": "no such day in the calendar",
		"2023-02-29": "no such day in the calendar",
		"2024-1-05":  "want YYYY-MM-DD",
		"3 Jan 2024": "want YYYY-MM-DD",
		"0000-01-01": "want a year from 1900 to 2200",
		"0202-05-01": "want a year from 1900 to 2200",
		"1899-12-31": "want a year from 1900 to 2200",
		"2201-01-01": "want a year from 1900 to 2200",
	} {
		d, err := ParseDate(s)
		switch {
		case want == "" && (err != nil || d.String() != s):
			t.Errorf("ParseDate(%q) = %v, %v; want the day", s, d, err)
		case want != "" && (err == nil || err.Error() != want):
			t.Errorf("ParseDate(%q) = %v, %v; want the error %q", s, d, err, want)
		}
	}
	var v struct {
		Published Date `json:"published_on"`
	}
	err := json.Unmarshal([]byte(`{"published_on":"0001-01-01"}`), &v)
	if err == nil || !strings.Contains(err.Error(), "1900") {
		t.Errorf("JSON day 0001-01-01: %v, want an error naming the years wanted", err)
	}
}
