package htmltext

import "testing"

func TestText(t *testing.T) {
	for _, tc := range []struct {
		html          string
		block, inline byte
		want          string
	}{
		{"<p>Hon<b>duras</b></p><p>Panamá &amp; Cuba</p>", ' ', 0, " Honduras  Panamá & Cuba "},
		{"<div>550 5.1.1</div><span>user</span>unknown", '\n', ' ', "\n550 5.1.1\n user unknown"},
		{"<tr><td>Reason:</td><td>550</td></tr>", '\n', ' ', "\n Reason:  550 \n"},
		{"<script>var x = '<p>no</p>'</script>yes<style>p{}</style>", ' ', 0, "yes"},
		// HTML lets <head> go unclosed: the body is text all the same.
		{"<html><head><title>Undeliverable</title><body>550 user unknown", ' ', 0, "550 user unknown"},
	} {
		if got := Text(tc.html, tc.block, tc.inline); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.html, got, tc.want)
		}
	}
}
