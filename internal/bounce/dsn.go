package bounce

import (
	"strings"
)

// parseDSN reads a message/delivery-status body (RFC 3464) into rep. It
// reports false when the body has no per-recipient block to go by (Gmail
// sometimes sends the part empty), so the caller can read the text.
//
// A report about one message may still list several recipients (an alias
// that expanded, a forward): the one that failed worst decides, hard over
// soft over delayed over delivered.
func parseDSN(rep *Report, body []byte) bool {
	var perMessage, best header
	bestRank := -1
	var bestKind Kind
	var bestCode string
	for _, g := range readFieldGroups(body) {
		if g.get("Final-Recipient") == "" && g.get("Original-Recipient") == "" &&
			g.get("Action") == "" && g.get("Status") == "" {
			if perMessage == nil {
				perMessage = g
			}
			continue
		}
		kind, code := Classify(g.get("Action"), g.get("Status"), g.get("Diagnostic-Code"))
		rank := 0
		switch {
		case kind == Hard:
			rank = 3
		case kind == Soft:
			rank = 2
		case strings.EqualFold(strings.TrimSpace(g.get("Action")), "delayed"):
			rank = 1
		}
		if rank > bestRank {
			best, bestRank, bestKind, bestCode = g, rank, kind, code
		}
	}
	if best == nil {
		return false
	}
	rep.Type = TypeDSN
	rep.Kind = bestKind
	rep.Status = bestCode
	if rep.Status == "" {
		if c, ok := findEnhanced(best.get("Status")); ok {
			rep.Status = c.String()
		}
	}
	rep.Diagnostic = typedValue(best.get("Diagnostic-Code"))
	rep.Recipient = typedValue(best.get("Final-Recipient"))
	if rep.Recipient == "" {
		rep.Recipient = typedValue(best.get("Original-Recipient"))
	}
	if bestKind == "" {
		action := strings.ToLower(strings.TrimSpace(best.get("Action")))
		rep.Ignored = "action " + action
	}
	for _, t := range []string{best.get("Last-Attempt-Date"), perMessage.get("Arrival-Date")} {
		if at := parseDate(t); !at.IsZero() {
			rep.At = at
			break
		}
	}
	return true
}

// parseFeedback reads an ARF report (RFC 5965) into rep and returns its
// feedback fields. Only Feedback-Type abuse is a complaint: not-spam,
// virus, fraud, auth-failure and other say something else, and are kept
// out of the complaint count.
func parseFeedback(rep *Report, p *parts) header {
	rep.Type = TypeFeedback
	f := header{}
	// One block by the RFC; merge in case a reporter split it.
	for _, g := range readFieldGroups(p.feedback) {
		for k, v := range g {
			f[k] = append(f[k], v...)
		}
	}
	ft := strings.ToLower(strings.TrimSpace(f.get("Feedback-Type")))
	rep.FeedbackType = ft
	switch ft {
	case "abuse":
		rep.Kind = Complaint
	case "":
		rep.Ignored = "feedback report without a Feedback-Type"
	default:
		rep.Ignored = "feedback type " + ft
	}
	rep.Recipient = typedValue(f.get("Original-Rcpt-To"))
	if rep.Recipient == "" {
		for _, oh := range p.originals {
			if to := oh.get("To"); to != "" {
				if a, err := parseAddress(to); err == nil {
					rep.Recipient = a
				}
				break
			}
		}
	}
	for _, t := range []string{f.get("Arrival-Date"), f.get("Received-Date")} {
		if at := parseDate(t); !at.IsZero() {
			rep.At = at
			break
		}
	}
	return f
}
