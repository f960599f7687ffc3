package domain

import "time"

// DuePoll is a source whose poll is due, and the slot it is due for.
type DuePoll struct {
	SourceID int64
	Due      time.Time
}

// PollOutcome is what a poll found.
type PollOutcome struct {
	// Err is the failure to show the editor, in English (the API's
	// last_error); empty for a success.
	Err string
	// Problem is Err in parts, for a page in another language.
	Problem PollProblem
	// ETag and LastModified replace the stored validators on a success.
	ETag, LastModified string
	// Wait is how long the server asked to be left alone after a
	// failure (its Retry-After), 0 when it did not say.
	Wait time.Duration
}

// PollProblem is a failed poll as a page needs it to say it in its
// reader's language: the message's words, the first faults of a
// document that could not be imported, and the technical cause. A
// problem recorded before these were kept has none of them, and a page
// shows the English text as stored.
type PollProblem struct {
	Words  Words
	Lines  []PollLine
	Detail string // Go's error behind the message, in English
}

// PollLine is a fault of a document a poll could not import: its line
// (a listing's) or entry (a feed's), the importer's fault code and its
// argument when it has one, and the English message.
type PollLine struct {
	Line    int    `json:"line"`
	Code    string `json:"code,omitempty"`
	Arg     string `json:"arg,omitempty"`
	Message string `json:"message"`
}
