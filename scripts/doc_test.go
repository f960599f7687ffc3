// Package scripts_test checks the shell scripts that run newsdigest on a
// developer's machine (make dev): what they refuse before they start
// anything, and that the Mailpit they build shows its web page.
package scripts_test
