package render

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// knownUnsupported is everything the emails may use that caniemail says
// some Gmail, Outlook, Apple Mail or Yahoo client does not support, and
// why that is harmless where it is not supported. Anything else is a
// regression.
var knownUnsupported = map[string]string{
	"@media":                "the dark scheme; a client without it shows the light one",
	"color-scheme meta tag": "says the email has a dark scheme; ignored, the client does as it always does",
	"max-height property":   "hides the preheader, with display:none and mso-hide for Outlook",
	"opacity":               "hides the preheader, as above",
	"overflow":              "hides the preheader, as above",
	"overflow-wrap":         "wraps a long word inside the card; word-wrap and word-break cover other clients",
	"word-wrap":             "as overflow-wrap",
	"word-break":            "as overflow-wrap",
	"table-layout":          "keeps the card's width fixed; Outlook for Windows gets a fixed 600px table instead",
	"role attribute":        "role=presentation on layout tables and the email's article; ignored, the tables read as before",
	"border-radius":         "rounds the confirmation button; square in Outlook for Windows",
}

// TestCaniemailFindsNothingNew runs caniemail (scripts/caniemail.mjs) on
// the representative digest and the confirmation mail in both languages:
// every feature it reports unsupported by a client must be one of
// knownUnsupported.
func TestCaniemailFindsNothingNew(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not found (%v): install nodejs, then run scripts/services.sh --with-caniemail", err)
	}
	pkg := os.Getenv("CANIEMAIL_DIR")
	if pkg == "" {
		pkg = filepath.Join("..", "..", ".cache", "caniemail")
	}
	if _, err := os.Stat(filepath.Join(pkg, "node_modules", "caniemail", "package.json")); err != nil {
		t.Fatalf("caniemail: %v (run scripts/services.sh --with-caniemail, or set CANIEMAIL_DIR)", err)
	}
	r := mustNew(t)
	dir := t.TempDir()
	var files []string
	for _, lang := range []string{"en", "es"} {
		c, err := r.Confirmation(sampleConfirmation(lang))
		if err != nil {
			t.Fatal(err)
		}
		for name, page := range map[string]string{
			"digest-" + lang:  mustDigest(t, r, representativeDigest(lang)).HTML,
			"confirm-" + lang: c.HTML,
		} {
			file := filepath.Join(dir, name+".html")
			if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, file)
		}
	}
	cmd := exec.Command(node, append([]string{filepath.Join("..", "..", "scripts", "caniemail.mjs"), "--json"}, files...)...)
	cmd.Env = append(os.Environ(), "CANIEMAIL_DIR="+pkg)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("caniemail: %v\n%s", err, out)
	}
	var report map[string]struct {
		Unsupported map[string][]string
		Skipped     []string
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("read caniemail's report: %v\n%s", err, out)
	}
	if len(report) != len(files) {
		t.Fatalf("caniemail reported on %d files, want %d", len(report), len(files))
	}
	for file, rep := range report {
		for feature, clients := range rep.Unsupported {
			if _, ok := knownUnsupported[feature]; !ok {
				slices.Sort(clients)
				t.Errorf("%s: uses %q, which %v do not support", filepath.Base(file), feature, slices.Compact(clients))
			}
		}
		t.Logf("%s: %d features unsupported somewhere; skipped %v", filepath.Base(file), len(rep.Unsupported), rep.Skipped)
	}
}
