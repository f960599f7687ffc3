package postgres

import (
	"fmt"
	"time"

	"newsdigest/internal/domain"
)

// The window rule, in pieces that CreateEdition and WindowItems (what an
// edition made now would hold) both use, so the two cannot disagree.

// nextWindowStart is, as an aggregate over editions, where the next
// window of new items begins: the last cut-off, or firstWindow ago.
func nextWindowStart(firstWindow string) string {
	return `COALESCE(max(ingested_until), clock_timestamp() - ` + firstWindow + `::interval)`
}

// ingestedWindow selects the visible items first ingested in (after,
// until] and published no earlier than maxAge (an interval, NULL for no
// bound) before after: a back catalogue imported this week is not this
// week's news.
func ingestedWindow(after, until, maxAge string) string {
	return `NOT items.hidden AND items.ingested_at > ` + after + ` AND items.ingested_at <= ` + until +
		` AND (` + maxAge + `::interval IS NULL OR items.published_on >= (` + after + ` - ` + maxAge + `::interval)::date)`
}

// picked selects the visible stories an editor picked for the next
// edition of new stories, whatever their date.
const picked = `(NOT items.hidden AND items.picked_at IS NOT NULL)`

// pickedInWindow selects the visible stories an editor picked in (after,
// until], whatever their date: to readers on a schedule of their own a
// pick arrives when it is made (items.last_picked_at), and is not spent
// by the desk's edition.
func pickedInWindow(after, until string) string {
	return `(NOT items.hidden AND items.last_picked_at > ` + after + ` AND items.last_picked_at <= ` + until + `)`
}

// maxAge is NewEdition.MaxAge as a query argument: NULL for no bound.
func maxAge(d time.Duration) any {
	if d <= 0 {
		return nil
	}
	return fmt.Sprintf("%d microseconds", d.Microseconds())
}

// publishedWindow selects the visible items published in [from, to]; a
// NULL bound is open.
func publishedWindow(from, to string) string {
	return `NOT items.hidden AND (` + from + `::date IS NULL OR items.published_on >= ` + from + `)` +
		` AND (` + to + `::date IS NULL OR items.published_on <= ` + to + `)`
}

// carried selects the stories an edition of new items takes over from
// earlier ones that did not send them: those frozen into an edition of new
// items that failed or was cancelled, and into no edition after it that
// did not. The readers a cancelled edition reached before it stopped are
// spared them (EarlierStories: its sent digests count as received); the
// rest get them now. A published range is an editor's one-off choice, so
// its stories are not carried when it is cancelled.
var carried = `(NOT items.hidden AND items.id IN (
	SELECT vi.item_id FROM edition_items vi JOIN editions v ON v.id = vi.edition_id
	WHERE v.ingested_until IS NOT NULL AND ` + voidEdition("v") + `
	  AND NOT EXISTS (
	      SELECT 1 FROM edition_items li JOIN editions l ON l.id = li.edition_id
	      WHERE li.item_id = vi.item_id AND l.id > v.id AND l.slot_at IS NULL AND NOT ` + voidEdition("l") + `)))`

// voidEdition is true of an edition (alias e) that publishes nothing: it
// failed, or an editor cancelled it (domain.EditionState.Void).
func voidEdition(e string) string {
	return `(` + e + `.status = '` + domain.EditionFailed + `' OR ` + e + `.reason = '` + domain.ReasonCancelled + `')`
}

// withVersions widens a window to the visible language versions of its
// stories: a translation arriving in this window brings the version
// stored before it, so that a reader who has had neither gets the one in
// their language. Readers who had the earlier version are spared both
// (EarlierStories).
func withVersions(window string) string {
	return `NOT items.hidden AND COALESCE(items.translation_of, items.id) IN (
		SELECT COALESCE(items.translation_of, items.id) FROM items WHERE ` + window + `)`
}
