// Package templates holds the files the binaries embed: the email templates
// that internal/render parses once at start.
package templates

import "embed"

// Email holds the email templates under email/: a shared layout for each
// format (layout.html.tmpl, layout.txt.tmpl) and one body file per message
// and format. html/template parses the .html.tmpl files and text/template
// the .txt.tmpl ones.
//
//go:embed email
var Email embed.FS
