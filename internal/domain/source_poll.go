package domain

import "time"

// DuePoll is a source whose poll is due, and the slot it is due for.
type DuePoll struct {
	SourceID int64
	Due      time.Time
}

// PollOutcome is what a poll found.
type PollOutcome struct {
	// Err is the failure to show the editor; empty for a success.
	Err string
	// ETag and LastModified replace the stored validators on a success.
	ETag, LastModified string
}
