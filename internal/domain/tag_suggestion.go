package domain

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
)

// TagLists are an item's three tag lists.
type TagLists struct {
	Countries []string `json:"countries"`
	Regions   []string `json:"regions"`
	Topics    []string `json:"topics"`
}

// TagLists returns the item's tag lists.
func (it Item) TagLists() TagLists {
	return TagLists{Countries: it.Countries, Regions: it.Regions, Topics: it.Topics}
}

// List returns the list named kind (FieldCountries, FieldRegions or
// FieldTopics).
func (l TagLists) List(kind string) []string {
	switch kind {
	case FieldCountries:
		return l.Countries
	case FieldRegions:
		return l.Regions
	}
	return l.Topics
}

// TagKinds are the names of the tag lists, in the order they are shown.
var TagKinds = []string{FieldCountries, FieldRegions, FieldTopics}

// TagChange is one tag a suggestion adds or takes away, and why.
type TagChange struct {
	Kind string `json:"kind"` // FieldCountries, FieldRegions or FieldTopics
	Code string `json:"code"`
	Add  bool   `json:"add"`
	// Why is the tagger's reason: for a tag added, what sets it; for one
	// taken away, what weighed against it, or "" when the tagger simply
	// no longer finds it.
	Why string `json:"why"`
}

// TagSuggestion is a change the tagger proposes to a story's tags after
// it learnt from the desk. Nothing changes until an editor accepts it,
// and it never touches a list an editor set.
type TagSuggestion struct {
	ItemID  int64
	ModelID int64 // the stored model that made it
	// From are the item's lists when suggested, To the lists proposed (a
	// list the suggestion leaves alone is the same in both).
	From, To TagLists
	// FromText is the digest of the story's text it was made from
	// (StoryText): a suggestion fits no story whose text changed since.
	FromText  string
	Reasons   TagReasons // of To's tags
	Changes   []TagChange
	CreatedAt time.Time
	// Item is the story, as lists of suggestions show it.
	Item Item
}

// Shown is what the suggestion proposes, in a form that changes whenever
// that does ("+topics:climate -topics:emergencies"). An editor's form
// carries it, so that what is accepted is what the editor saw, not what
// a retraining since made of the story.
func (s TagSuggestion) Shown() string {
	parts := make([]string, len(s.Changes))
	for i, c := range s.Changes {
		sign := "-"
		if c.Add {
			sign = "+"
		}
		parts[i] = sign + c.Kind + ":" + c.Code
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// ErrSuggestionChanged is behind the conflict of accepting a suggestion
// that a retraining replaced with another since the editor saw it.
var ErrSuggestionChanged = errors.New("the suggestion changed since it was shown")

// Kinds returns the lists the suggestion changes.
func (s TagSuggestion) Kinds() []string {
	var out []string
	for _, c := range s.Changes {
		if !slices.Contains(out, c.Kind) {
			out = append(out, c.Kind)
		}
	}
	return out
}

// TopicCorrections are how often editors changed the tagger's choice of
// one topic, over the stories that arrived in a period.
type TopicCorrections struct {
	Topic string
	// Tagged is how many stories the tagger gave the topic; Removed how
	// many of those an editor took it away from; Added to how many
	// stories an editor added it that the tagger had left it off.
	Tagged, Removed, Added int
}

// Share is the part of the stories that had, or should have had, the
// topic in which an editor changed the tagger's choice (0 to 1).
func (c TopicCorrections) Share() float64 {
	if c.Tagged+c.Added == 0 {
		return 0
	}
	return float64(c.Removed+c.Added) / float64(c.Tagged+c.Added)
}

// TagModelInfo describes the stored tag model in use.
type TagModelInfo struct {
	ID           int64
	TrainedAt    time.Time
	Examples     int // labelled items and the desk's corrections
	DeskExamples int
	Bytes        int // stored size
}

// TagExample is one item with the tags an editor gave it. A nil list was not
// judged (an editor who corrected an item's countries said nothing about
// its topics); an empty one means none.
type TagExample struct {
	Line                       int // in the file it was read from; 0 from the database
	Lang, Title, Summary       string
	Countries, Regions, Topics []string
	// Desk marks an example this desk's editors made (a correction), as
	// against the labelled items that ship with the code; At is when it
	// was last made. Training weighs the desk's examples more, and recent
	// ones more than old ones.
	Desk bool
	At   time.Time
}

// StoryText is a digest of what the tagger reads of a story: its title,
// summary and language. A suggestion made from one text does not fit the
// story once an editor or its source changed the text. PostgreSQL
// computes the same (postgres.storyTextSQL): md5 of the three joined by
// a unit separator. A change detector, not a signature.
func StoryText(it Item) string {
	sum := md5.Sum([]byte(it.Title + "\x1f" + it.Summary + "\x1f" + it.Language))
	return hex.EncodeToString(sum[:])
}
