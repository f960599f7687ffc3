package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
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
	// Link is the link form as it was sent when refused.
	Link linkField
}

// linkField is the number typed in the link form, kept to be corrected,
// and what is wrong with it, said next to it.
type linkField struct {
	Value, Problem string
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
// in the form's "other". A number that cannot be linked shows the item's
// page again, the number kept in its field and what is wrong said there.
func (a *Console) itemLink(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	lang := pageLang(c)
	typed := strings.TrimSpace(c.PostForm("other"))
	other, err := strconv.ParseInt(strings.TrimPrefix(typed, "#"), 10, 64)
	if err != nil || other <= 0 {
		a.refuseLink(c, id, http.StatusUnprocessableEntity, linkField{Value: typed, Problem: tf(lang, "item_link_bad", typed)})
		return
	}
	u := domain.ItemUpdate{TranslationOf: domain.OptionalID{Set: true, ID: other}}
	if _, err := a.Items.Update(c.Request.Context(), currentUser(c).Name, id, u); err != nil {
		if errs.Is(err, errs.Invalid) {
			status, problem := linkProblem(lang, err)
			a.refuseLink(c, id, status, linkField{Value: typed, Problem: problem})
			return
		}
		a.failErr(c, err)
		return
	}
	done(c, "/admin/items/"+strconv.FormatInt(id, 10), "item_linked")
}

// refuseLink shows item id's page with the link form as it was sent.
func (a *Console) refuseLink(c *gin.Context, id int64, status int, link linkField) {
	it, err := a.Items.Item(c.Request.Context(), id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	data, err := a.itemEditData(c, it, it, "")
	if err != nil {
		a.failErr(c, err)
		return
	}
	data.Versions.Link = link
	a.renderItemPage(c, status, data, "")
}

// linkProblem says in lang why the items service refused a link, in the
// link field's words rather than the API's (translation_of, a language
// code), and the status that answers it: a story that would have two
// versions in one language conflicts with what is stored.
func linkProblem(lang string, err error) (int, string) {
	format, args, _ := errs.TemplateOf(err)
	switch errorKeys()[format] {
	case "error.translation_of_an_item_is_not_a_translation_of_i":
		return http.StatusUnprocessableEntity, msg(lang, "item_link_self")
	case "error.translation_of_no_item_x":
		return http.StatusUnprocessableEntity, tf(lang, "item_link_missing", args...)
	case "error.translation_of_the_story_of_item_x_already_has_a":
		return http.StatusConflict, tf(lang, "item_link_clash", args[0], i18n.LanguageName(lang, fmt.Sprint(args[1])))
	}
	return http.StatusUnprocessableEntity, errorText(lang, err)
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
