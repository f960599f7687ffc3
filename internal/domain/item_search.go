package domain

// ItemSearch is the console's view of the items: the API's filter, and
// words in the title or summary, a language, the untagged only, and
// hidden or visible only.
type ItemSearch struct {
	ItemFilter
	Text     string
	Language string
	Untagged bool  // no countries, no regions and no topics
	Hidden   *bool // nil: both
}

// ArchiveFilter selects stories of the public archive, newest first.
type ArchiveFilter struct {
	Country string
	// Regions are the regions that hold Country: an item tagged with one
	// of them is about Country too, as in digest matching.
	Regions  []string
	Topic    string
	Language string // the version of a story to show, when it has several
	Limit    int
	Before   *ItemCursor // continue with items older than this one
}
