package admin

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/items"
	"newsdigest/internal/taxonomy"
)

// tagChoice is one checkbox of a tag list on the edit page.
type tagChoice struct {
	Code, Name, Reason string
	Checked            bool
}

type itemEditData struct {
	Item         domain.Item // as shown: stored, or as sent when refused
	Heading      string      // the stored title, which heads the page
	Countries    []tagChoice // the item's countries (others are added by code)
	Regions      []tagChoice // every region
	Topics       []tagChoice // every topic
	AddCountries string
	// Suggestion is the tagger's suggestion for the item, if one waits.
	Suggestion *suggestionView
	// Versions are the story's other language versions and the stories
	// that may be versions of it.
	Versions versionsData
	// PickOwed: the desk's edition spent the story's pick, and readers
	// on a schedule of their own are still to get it.
	PickOwed bool
}

// editedFields names, in lang, the fields an editor has set
// (Item.EditedFields, the domain.Field… names): "title, countries".
func editedFields(lang string, fields []string) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f // a field newer than these words
		if hasMsg("item_edited_" + f) {
			names[i] = msg(lang, "item_edited_"+f)
		}
	}
	return strings.Join(names, ", ")
}

func (a *Console) itemEdit(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	it, err := a.Items.Item(c.Request.Context(), id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.renderItemEdit(c, http.StatusOK, it, it, "", "")
}

// renderItemEdit shows the edit form of stored with the values of shown
// (the same item, or what the editor sent when it was refused).
func (a *Console) renderItemEdit(c *gin.Context, status int, stored, shown domain.Item, addCountries, problem string) {
	data, err := a.itemEditData(c, stored, shown, addCountries)
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.renderItemPage(c, status, data, problem)
}

// renderItemPage shows the item's page as data holds it, with problem
// (what was refused, if anything) at its top.
func (a *Console) renderItemPage(c *gin.Context, status int, data itemEditData, problem string) {
	p := page{Title: data.Heading, Section: "items", Data: data, Error: problem}
	a.render(c, status, "items_edit", p)
}

// itemEditData is what the item's page shows of stored, its form filled
// with the values of shown.
func (a *Console) itemEditData(c *gin.Context, stored, shown domain.Item, addCountries string) (itemEditData, error) {
	lang := pageLang(c)
	data := itemEditData{Item: shown, Heading: stored.Title, AddCountries: addCountries}
	tax, err := a.Taxonomy.Taxonomy(c.Request.Context())
	if err != nil {
		return data, err
	}
	codes := slices.Clone(stored.Countries)
	for _, code := range shown.Countries {
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	for _, code := range codes {
		data.Countries = append(data.Countries, tagChoice{Code: code, Name: countryName(tax, lang, code),
			Reason: stored.TagReasons.Countries[code], Checked: slices.Contains(shown.Countries, code)})
	}
	for _, r := range tax.Regions {
		data.Regions = append(data.Regions, tagChoice{Code: r.Code, Name: r.Name(lang),
			Reason: stored.TagReasons.Regions[r.Code], Checked: slices.Contains(shown.Regions, r.Code)})
	}
	for _, t := range tax.Topics {
		data.Topics = append(data.Topics, tagChoice{Code: t.Slug, Name: t.Name(lang),
			Reason: stored.TagReasons.Topics[t.Slug], Checked: slices.Contains(shown.Topics, t.Slug)})
	}
	switch s, err := a.Items.TagSuggestion(c.Request.Context(), stored.ID); {
	case err == nil:
		v := viewSuggestion(tax, lang, s)
		data.Suggestion = &v
	case !errs.Is(err, errs.NotFound):
		return data, err
	}
	if !stored.Picked && stored.LastPickedAt != nil {
		if data.PickOwed, err = a.Items.PickOwed(c.Request.Context(), stored.ID); err != nil {
			return data, err
		}
	}
	data.Versions, err = a.itemVersions(c, stored)
	return data, err
}

// itemSave applies the form: only the fields that differ from the stored
// item become the editor's, through the same update as the API's PATCH.
func (a *Console) itemSave(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	stored, err := a.Items.Item(ctx, id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	sent := stored
	sent.Title = strings.TrimSpace(c.PostForm("title"))
	sent.Summary = strings.TrimSpace(c.PostForm("summary"))
	sent.URL = strings.TrimSpace(c.PostForm("url"))
	var problems []string
	if day := strings.TrimSpace(c.PostForm("published_on")); day != "" {
		d, err := domain.ParseDate(day)
		switch {
		case errors.Is(err, domain.ErrNoSuchDay):
			problems = append(problems, tf(pageLang(c), "item_no_such_published", day))
		case err != nil:
			problems = append(problems, tf(pageLang(c), "item_bad_published", day))
		default:
			sent.PublishedOn = d
		}
	}
	sent.Countries = c.PostFormArray("countries")
	add := c.PostForm("add_countries")
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		a.failErr(c, err)
		return
	}
	codes, unknown := lookupCountries(tax, add)
	for _, code := range codes {
		if !slices.Contains(sent.Countries, code) {
			sent.Countries = append(sent.Countries, code)
		}
	}
	// A box ticked for a code the taxonomy lacks (a forged form) is
	// refused the same way as a name typed that matches no country.
	for _, code := range sent.Countries {
		if !tax.HasCountry(code) {
			unknown = append(unknown, code)
		}
	}
	sent.Countries = slices.DeleteFunc(sent.Countries, func(code string) bool { return !tax.HasCountry(code) })
	sent.Regions = c.PostFormArray("regions")
	sent.Topics = c.PostFormArray("topics")
	if len(unknown) > 0 {
		// Only known countries are shown ticked: what was not understood
		// stays in the text box, named in the message, to be corrected.
		problems = append(problems, tf(pageLang(c), "item_unknown_countries", strings.Join(unknown, ", ")))
	}
	if len(problems) > 0 {
		a.renderItemEdit(c, http.StatusUnprocessableEntity, stored, sent, add, strings.Join(problems, " "))
		return
	}
	u := items.ItemChanges(stored, sent)
	if items.IsEmpty(u) {
		done(c, "/admin/items/"+strconv.FormatInt(id, 10), "item_unchanged")
		return
	}
	if _, err := a.Items.Update(ctx, currentUser(c).Name, id, u); err != nil {
		if errs.Is(err, errs.Invalid) {
			a.renderItemEdit(c, http.StatusUnprocessableEntity, stored, sent, add, errorText(pageLang(c), err))
			return
		}
		a.failErr(c, err)
		return
	}
	done(c, "/admin/items/"+strconv.FormatInt(id, 10), "item_saved")
}

// itemHide hides an item from digests, feeds and the archive, or shows
// it again.
func (a *Console) itemHide(hidden bool) gin.HandlerFunc {
	key := "item_unhidden"
	if hidden {
		key = "item_hidden"
	}
	return func(c *gin.Context) {
		id, ok := a.idParam(c, "id")
		if !ok {
			return
		}
		if _, err := a.Items.Update(c.Request.Context(), currentUser(c).Name, id, domain.ItemUpdate{Hidden: &hidden}); err != nil {
			a.failErr(c, err)
			return
		}
		done(c, "/admin/items/"+strconv.FormatInt(id, 10), key)
	}
}

// lookupCountries reads the countries an editor typed, separated by
// commas, semicolons or new lines: codes or names in any language. A
// piece that is no country as a whole may be several codes separated by
// spaces ("NI GT"). It returns the codes found and the pieces it could not
// read, as typed.
func lookupCountries(tax *taxonomy.Taxonomy, text string) (codes, unknown []string) {
	for _, piece := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		if code, ok := tax.LookupCountry(piece); ok {
			codes = append(codes, code)
			continue
		}
		words := strings.Fields(piece)
		var found []string
		for _, w := range words {
			if code, ok := tax.LookupCountry(w); ok && len(w) == 2 {
				found = append(found, code)
			}
		}
		if len(words) > 1 && len(found) == len(words) {
			codes = append(codes, found...)
			continue
		}
		unknown = append(unknown, piece)
	}
	return codes, unknown
}

// itemPick puts a story in the next edition of new stories whatever its
// date (an older story joins only so), or takes it out again.
func (a *Console) itemPick(picked bool) gin.HandlerFunc {
	key := "item_unpicked"
	if picked {
		key = "item_picked"
	}
	return func(c *gin.Context) {
		id, ok := a.idParam(c, "id")
		if !ok {
			return
		}
		if _, err := a.Items.Update(c.Request.Context(), currentUser(c).Name, id, domain.ItemUpdate{Picked: &picked}); err != nil {
			a.failErr(c, err)
			return
		}
		done(c, "/admin/items/"+strconv.FormatInt(id, 10), key)
	}
}
