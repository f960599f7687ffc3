package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// AcceptTagSuggestion applies the suggestion for an item as the editor's
// decision: the lists it changes take its tags, with the tagger's
// reasons, and are recorded as set by the editor (so the tagger and the
// item's source leave them alone from now on) and as a labelled example
// whose tagger's choice is the suggestion. A suggestion that no longer
// fits its story is withdrawn: errs.Conflict. When shown is not empty, it
// is what the editor saw (TagSuggestion.Shown): a suggestion a retraining
// replaced since with another is not accepted unseen, but left for the
// editor to look at, errs.Conflict because of domain.ErrSuggestionChanged.
// errs.NotFound when there is none.
func (db *DB) AcceptTagSuggestion(ctx context.Context, editor string, itemID int64, shown string) (domain.Item, error) {
	return db.settleTagSuggestion(ctx, editor, itemID, shown, true)
}

// KeepTagSuggestion declines the suggestion for an item: the lists it
// would change are confirmed as they are, as the editor's, and recorded
// as a labelled example (the desk disagrees with the tagger). The lists
// kept are those the editor was shown, so a suggestion that no longer
// fits its story is withdrawn, errs.Conflict, and nothing is set: an
// editor's or the source's change made since is not undone. shown is as
// for AcceptTagSuggestion: the lists confirmed are those of the
// suggestion the editor saw. errs.NotFound when there is none.
func (db *DB) KeepTagSuggestion(ctx context.Context, editor string, itemID int64, shown string) (domain.Item, error) {
	return db.settleTagSuggestion(ctx, editor, itemID, shown, false)
}

// settleTagSuggestion accepts (accept) or declines an item's suggestion
// (the one shown, when shown is not ""),
// with the item and the suggestion locked, so that an editor's change or
// an import cannot come between checking that the suggestion fits and
// setting the lists.
func (db *DB) settleTagSuggestion(ctx context.Context, editor string, itemID int64, shown string, accept bool) (domain.Item, error) {
	var it domain.Item
	stale, changed := false, false
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		it, err = scanItem(tx.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1 FOR NO KEY UPDATE`, itemID))
		if err != nil {
			return notFound(err, "tag suggestion")
		}
		var fits bool
		s, err := scanSuggestion(tx.QueryRow(ctx, `
			SELECT `+suggestionColumns+`, `+suggestionFresh+`
			FROM tag_suggestions s JOIN items i ON i.id = s.item_id
			WHERE s.item_id = $1 FOR UPDATE OF s`, itemID), &fits)
		if err != nil {
			return notFound(err, "tag suggestion")
		}
		before := it
		stale = !fits
		if fits && shown != "" && s.Shown() != shown {
			changed = true
			return nil // the newer suggestion stays, for the editor to see
		}
		if _, err := tx.Exec(ctx, `DELETE FROM tag_suggestions WHERE item_id = $1`, itemID); err != nil {
			return fmt.Errorf("withdraw tag suggestion: %w", err)
		}
		if stale {
			return nil // commit the withdrawal
		}
		lists, tagger := s.To, s.To.Topics
		if !accept {
			lists, tagger = before.TagLists(), before.Topics
		}
		var u domain.ItemUpdate
		for _, kind := range s.Kinds() {
			set := slices.Clone(nonNil(lists.List(kind)))
			switch kind {
			case domain.FieldCountries:
				u.Countries = &set
			case domain.FieldRegions:
				u.Regions = &set
			default:
				u.Topics = &set
			}
		}
		u.Apply(&it)
		// Accepted tags are the tagger's, which the editor agreed with:
		// they keep the tagger's reasons, where Apply gives added tags
		// the editor's. Kept tags keep the reasons they had.
		for _, kind := range s.Kinds() {
			reasons := s.Reasons
			if !accept {
				reasons = before.TagReasons
			}
			switch kind {
			case domain.FieldCountries:
				it.TagReasons.Countries = reasons.Countries
			case domain.FieldRegions:
				it.TagReasons.Regions = reasons.Regions
			default:
				it.TagReasons.Topics = reasons.Topics
			}
		}
		if err := recordTagExample(ctx, tx, editor, &itemID, before, it, u, tagger); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE items SET countries = $2, regions = $3, topics = $4, tag_reasons = $5, edited_fields = $6, updated_at = now()
			WHERE id = $1`,
			itemID, nonNil(it.Countries), nonNil(it.Regions), nonNil(it.Topics), it.TagReasons, nonNil(it.EditedFields))
		if err != nil {
			return fmt.Errorf("settle tag suggestion: %w", err)
		}
		it, err = scanItem(tx.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1`, itemID))
		return err
	})
	switch {
	case err != nil:
		return domain.Item{}, err
	case stale:
		return domain.Item{}, errs.New(errs.Conflict, "the story's tags changed after the suggestion was made; it is withdrawn")
	case changed:
		return domain.Item{}, errs.New(errs.Conflict, "the tagger's suggestion for this story changed since it was shown; look at it again").
			Because(domain.ErrSuggestionChanged)
	}
	return it, nil
}
