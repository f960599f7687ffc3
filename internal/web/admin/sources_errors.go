package admin

import (
	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/ingest"
)

// pollErrorView is a source's last error as the dashboard and the
// sources page show it (the "pollerror" template).
type pollErrorView struct {
	Lang   string
	Text   string   // the message, in the page's language when the catalogue has it
	Lines  []string // an unusable document's first faults, each after its line or entry
	Detail string   // what Go said, for whoever looks into it
}

// pollError is a source's last error, stored in English (what the API
// answers) and in parts (p), said in lang. An error recorded before its
// parts were kept is shown as stored.
func pollError(lang, kind, stored string, p domain.PollProblem) pollErrorView {
	if p.Words.Format == "" {
		return pollErrorView{Lang: lang, Text: stored}
	}
	v := pollErrorView{Lang: lang, Text: p.Words.Text(), Detail: p.Detail}
	if lang != i18n.Source {
		if text, ok := errorWords(lang, p.Words.Format, p.Words.Args); ok {
			v.Text = text
		}
	}
	where := "source_error_line"
	if kind == domain.SourceFeed {
		where = "source_error_entry"
	}
	for _, l := range p.Lines {
		fault := faultText(lang, ingest.LineError{Line: l.Line, Message: l.Message, Code: l.Code, Arg: l.Arg})
		v.Lines = append(v.Lines, label(lang, tf(lang, where, l.Line))+" "+fault)
	}
	return v
}
