package domain

import "time"

// ClickNonce is what is kept of one message's clicks, under a hash of the
// random nonce its links carried: nothing that names the message's
// reader, its delivery or its address.
type ClickNonce struct {
	// Recent are the times of its latest clicks, oldest first.
	Recent []time.Time
	// Stories are the stories of the message counted so far.
	Stories []int64
	// Burst says the message was clicked as a link scanner does: it
	// counts nothing.
	Burst bool
}

// ClickDecision is what one click on a message does to the counts.
type ClickDecision struct {
	Next    ClickNonce
	Count   bool    // add one to the story's clicks
	Uncount []int64 // take one from each of these stories' clicks
}

// StoryClicks is a story's counted clicks over a period.
type StoryClicks struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Clicks int64  `json:"clicks"`
}

// TagClicks is the clicks on the stories tagged with one country or topic.
type TagClicks struct {
	Code   string `json:"code"`
	Clicks int64  `json:"clicks"`
}

// ClickStats are the counted clicks over a period: per story, and per
// country and topic of the stories followed.
type ClickStats struct {
	Stories   []StoryClicks
	Countries []TagClicks
	Topics    []TagClicks
}
