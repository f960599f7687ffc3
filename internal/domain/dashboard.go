package domain

import "time"

// Tally is how many of something there are, by a key (a status, a
// country code, a topic slug).
type Tally struct {
	Key   string
	Count int
}

// WeekItems counts the items first ingested in the last seven days.
type WeekItems struct {
	Tagged   int // visible, with at least one country, region or topic
	Untagged int // visible, with none
	Hidden   int
}

// SourceError is a source whose last poll failed (a source that has
// succeeded since its last error is not failing).
type SourceError struct {
	ID            int64
	URL           string
	Kind          string
	Error         string
	Problem       PollProblem // Error in parts, for the console
	At            *time.Time
	LastSuccessAt *time.Time
}

// Dashboard is the console's overview, as the database has it.
type Dashboard struct {
	SubscribersByStatus []Tally
	ActiveByCountry     []Tally // most chosen first
	ActiveByTopic       []Tally
	// ActiveAllStories counts the active subscribers who take every
	// story: they are in no country's or topic's tally.
	ActiveAllStories int
	LastEdition      *Edition // nil before the first edition
	Week             WeekItems
	SourceErrors     []SourceError
	Sources          int // sources polled, failing or not
}
