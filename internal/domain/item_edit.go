package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"

	"newsdigest/internal/errs"
)

// Names of the item fields an editor can set, as recorded in
// Item.EditedFields. They are the JSON names of the fields.
const (
	FieldTitle        = "title"
	FieldSummary      = "summary"
	FieldURL          = "url"
	FieldCountries    = "countries"
	FieldRegions      = "regions"
	FieldTopics       = "topics"
	FieldHidden       = "hidden"
	FieldTranslations = "translations"
	FieldPublished    = "published_on"
)

// ReasonEditor is the reason of a tag an editor set.
const ReasonEditor = "editor"

// TagReasons says, per tag of an item, what set it: the tagger rule that
// matched ("place: Upala", "phrase: trafficking") or ReasonEditor. Tags
// with no recorded reason (stored before reasons were) have no entry.
type TagReasons struct {
	Countries map[string]string `json:"countries"`
	Regions   map[string]string `json:"regions"`
	Topics    map[string]string `json:"topics"`
}

// MarshalJSON writes every list as an object, {} when empty, so clients
// need not tell a missing list from an empty one.
func (r TagReasons) MarshalJSON() ([]byte, error) {
	orEmpty := func(m map[string]string) map[string]string {
		if m == nil {
			return map[string]string{}
		}
		return m
	}
	type plain TagReasons // without this method
	return json.Marshal(plain{orEmpty(r.Countries), orEmpty(r.Regions), orEmpty(r.Topics)})
}

// editorReasons returns the reasons of a tag list an editor set: tags kept
// keep the rule that found them, added ones are the editor's.
func editorReasons(old map[string]string, tags []string) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		if r, ok := old[t]; ok {
			out[t] = r
		} else {
			out[t] = ReasonEditor
		}
	}
	return out
}

// MarkEdited records that an editor set field.
func (it *Item) MarkEdited(field string) {
	if !slices.Contains(it.EditedFields, field) {
		it.EditedFields = append(it.EditedFields, field)
		slices.Sort(it.EditedFields)
	}
}

// IsEdited reports whether an editor set field.
func (it *Item) IsEdited(field string) bool { return slices.Contains(it.EditedFields, field) }

// OptionalID is an id in a JSON update that may be absent (Set false),
// null (Set true, ID 0: remove the link) or a number.
type OptionalID struct {
	Set bool
	ID  int64
}

// UnmarshalJSON records that the field was present, null or not.
func (o *OptionalID) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.ID = 0
		return nil
	}
	id, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	if err != nil || id < 1 {
		return errors.New("translation_of: want an item id or null")
	}
	o.ID = id
	return nil
}

// OptionalTime is a time in a JSON update that may be absent (Set
// false), null (Set true, Time nil) or an RFC 3339 time.
type OptionalTime struct {
	Set  bool
	Time *time.Time
}

// UnmarshalJSON records that the field was present, null or not. Its
// error does not name the field: the decoder's caller does.
func (o *OptionalTime) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Time = nil
		return nil
	}
	var t time.Time
	if err := json.Unmarshal(b, &t); err != nil {
		return errs.New(errs.Malformed, "must be an RFC 3339 time (2026-03-02T07:00:00Z) or null")
	}
	o.Time = &t
	return nil
}

// StoreCounts is what storing a batch of items did: items new to the
// store, items recognised as already stored, and how many of those were
// brought up to date (Refresh).
type StoreCounts struct {
	Imported   int `json:"imported"`
	Duplicates int `json:"duplicates"`
	Updated    int `json:"updated"`
}

// Refresh brings a stored item up to date with a fresh copy of the same
// story from its source (a corrected summary in a feed, a fixed typo in a
// title), and reports whether anything changed. Editors win: a field in
// EditedFields is never touched, and tags an editor set are never
// re-tagged. A copy poorer than what is stored (no summary where there was
// one) does not blank the summary or re-tag from less text; a link is only
// filled in, never replaced, since the stored link may be the one readers
// already have. Published day, language, visibility and translation links
// are the store's and the editor's, not the source's.
func (it *Item) Refresh(fresh Item) bool {
	changed := false
	set := func(field string, dst *string, v string) {
		if v != "" && *dst != v && !it.IsEdited(field) {
			*dst, changed = v, true
		}
	}
	set(FieldTitle, &it.Title, fresh.Title)
	set(FieldSummary, &it.Summary, fresh.Summary)
	if it.URL == "" {
		set(FieldURL, &it.URL, fresh.URL)
	}
	if fresh.Summary != "" || it.Summary == "" {
		retag := func(field string, dst *[]string, reasons *map[string]string, tags []string, why map[string]string) {
			if it.IsEdited(field) {
				return
			}
			if !slices.Equal(*dst, tags) || !maps.Equal(*reasons, why) {
				*dst, *reasons, changed = slices.Clone(tags), maps.Clone(why), true
			}
		}
		retag(FieldCountries, &it.Countries, &it.TagReasons.Countries, fresh.Countries, fresh.TagReasons.Countries)
		retag(FieldRegions, &it.Regions, &it.TagReasons.Regions, fresh.Regions, fresh.TagReasons.Regions)
		retag(FieldTopics, &it.Topics, &it.TagReasons.Topics, fresh.Topics, fresh.TagReasons.Topics)
	}
	for _, k := range fresh.TranslationKeys {
		if !slices.Contains(it.TranslationKeys, k) {
			it.TranslationKeys = append(it.TranslationKeys, k)
			changed = true
		}
	}
	slices.Sort(it.TranslationKeys)
	return changed
}
