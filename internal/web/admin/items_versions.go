package admin

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/items"
)

// The item page's language versions: the story's other versions, each
// of which can be taken out of it, and stories that may be versions of
// this one, to link (docs/translations.md). Both go through the same
// update as the API's PATCH translation_of, so an editor's link or
// unlink is never undone by re-ingest.

// versionsData is what the item page shows of a story's versions.
type versionsData struct {
	Versions    []domain.Item
	Suggestions []items.VersionSuggestion
}

// itemVersions reads an item's versions and the suggestions for it.
func (a *Console) itemVersions(c *gin.Context, it domain.Item) (versionsData, error) {
	var d versionsData
	ctx := c.Request.Context()
	for _, id := range it.Translations {
		v, err := a.Items.Item(ctx, id)
		if err != nil {
			return d, err
		}
		d.Versions = append(d.Versions, v)
	}
	var err error
	d.Suggestions, err = a.Items.VersionSuggestions(ctx, it.ID)
	return d, err
}

// itemLink makes the item a version of the story of the item numbered
// in the form's "other".
func (a *Console) itemLink(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	raw := strings.TrimPrefix(strings.TrimSpace(c.PostForm("other")), "#")
	other, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || other <= 0 {
		a.failErr(c, errs.New(errs.Invalid, "%s", tf(pageLang(c), "item_link_bad", c.PostForm("other"))))
		return
	}
	u := domain.ItemUpdate{TranslationOf: domain.OptionalID{Set: true, ID: other}}
	if _, err := a.Items.Update(c.Request.Context(), currentUser(c).Name, id, u); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/items/"+strconv.FormatInt(id, 10), "item_linked")
}

// itemUnlink takes a version (the form's "version", this item when
// none) out of its story; the page of this item is shown again.
func (a *Console) itemUnlink(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	target := id
	if v := strings.TrimSpace(c.PostForm("version")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			a.failErr(c, errs.New(errs.Invalid, "version: %q is not an item number", v))
			return
		}
		target = n
	}
	u := domain.ItemUpdate{TranslationOf: domain.OptionalID{Set: true}}
	if _, err := a.Items.Update(c.Request.Context(), currentUser(c).Name, target, u); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/items/"+strconv.FormatInt(id, 10), "item_unlinked")
}
