package items

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/ingest"
	"newsdigest/internal/tagging"
)

// The storage this package needs, named by what uses it; package
// postgres implements every one.

// Store is all the storage the service needs.
type Store interface {
	ItemStore
	SourceStore
	TaggingStore
	DraftStore
	CountryStore
	PollNowStore
}

// ItemStore keeps the stories: stored by imports (ingest's interfaces),
// listed, edited.
type ItemStore interface {
	ingest.ItemStore
	ingest.RefreshingStore
	ingest.StoryFinder
	Item(ctx context.Context, id int64) (domain.Item, error)
	ItemByFingerprint(ctx context.Context, fingerprint string) (domain.Item, error)
	SearchItems(ctx context.Context, s domain.ItemSearch) ([]domain.Item, error)
	UpdateItem(ctx context.Context, editor string, id int64, u domain.ItemUpdate, check func(*domain.Item) error) (domain.Item, error)
	PickOwed(ctx context.Context, id int64) (bool, error)
}

// SourceStore keeps the sources the worker polls, and their polls.
type SourceStore interface {
	CreateSource(ctx context.Context, n domain.NewSource) (domain.Source, error)
	Source(ctx context.Context, id int64) (domain.Source, error)
	Sources(ctx context.Context) ([]domain.Source, error)
	DeleteSource(ctx context.Context, id int64) (domain.Source, error)
	UpdateSource(ctx context.Context, id int64, n domain.NewSource) (domain.Source, error)
	DueSources(ctx context.Context, limit int) ([]domain.DuePoll, error)
	ClaimPoll(ctx context.Context, id int64, due time.Time, lease time.Duration) (domain.Source, bool, error)
	RecordPoll(ctx context.Context, id int64, o domain.PollOutcome) error
	LinkSourceItems(ctx context.Context, id int64, fingerprints []string) error
}

// TaggingStore keeps what the tagger learns from: the desk's
// corrections, the trained models and the suggestions.
type TaggingStore interface {
	tagging.ModelStore
	tagging.SuggestionStore
	RecordNewItemExample(ctx context.Context, editor string, proposed, stored domain.Item, u domain.ItemUpdate) error
	TagExamplesChangedSince(ctx context.Context, t time.Time) (bool, error)
	OneRetraining(ctx context.Context, fn func(start time.Time) error) error
	LatestTagModelInfo(ctx context.Context) (domain.TagModelInfo, error)
	TagSuggestions(ctx context.Context, limit int) ([]domain.TagSuggestion, int, error)
	TagSuggestion(ctx context.Context, itemID int64) (domain.TagSuggestion, error)
	AcceptTagSuggestion(ctx context.Context, editor string, itemID int64, shown string) (domain.Item, error)
	KeepTagSuggestion(ctx context.Context, editor string, itemID int64, shown string) (domain.Item, error)
	TopicCorrections(ctx context.Context, since time.Time) ([]domain.TopicCorrections, error)
}

// DraftStore keeps an upload between its preview and its confirmation.
type DraftStore interface {
	SaveDraft(ctx context.Context, kind, format string, body []byte, by string) (int64, error)
	Draft(ctx context.Context, id int64, kind, by string) (string, []byte, error)
	TakeDraft(ctx context.Context, id int64, kind, by string) (string, []byte, error)
}
