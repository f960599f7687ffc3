package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/items"
	"newsdigest/internal/taxonomy"
)

// itemsPerPage is a screenful of items to read through; ?limit= asks
// for another.
const itemsPerPage = 50

func (a *Console) itemsRoutes(g *gin.RouterGroup) {
	g.GET("/items", a.itemsList)
	g.GET("/items/import", a.importForm)
	g.POST("/items/import", a.importUpload)
	g.GET("/items/import/:draft", a.importPreview)
	g.POST("/items/import/:draft", a.importConfirm)
	g.GET("/items/:id", a.itemEdit)
	g.POST("/items/:id", a.itemSave)
	g.POST("/items/:id/hide", a.itemHide(true))
	g.POST("/items/:id/unhide", a.itemHide(false))
	g.POST("/items/:id/link", a.itemLink)
	g.POST("/items/:id/unlink", a.itemUnlink)
	g.POST("/items/:id/pick", a.itemPick(true))
	g.POST("/items/:id/unpick", a.itemPick(false))
	g.POST("/items/:id/feature", a.itemFeature)
}

// itemFilters are the list's filters as the form sends them.
type itemFilters struct {
	Q, Country, Topic, Language, Hidden, From, To string
	Untagged                                      bool
}

// itemRow is an item as the list shows it.
type itemRow struct {
	domain.Item
	Tags []tagView
}

// tagView is one tag of an item with its name in the page's language and
// what set it.
type tagView struct {
	Code, Name, Reason string
}

type itemsListData struct {
	Filters   itemFilters
	Rows      []itemRow
	Older     string // the next page's link, "" when this is the last
	Paged     bool   // not the first page
	Countries countrySelect
	Topics    []taxonomy.Topic
	Languages []string
}

func (a *Console) itemsList(c *gin.Context) {
	lang := pageLang(c)
	f := itemFilters{
		Q: strings.TrimSpace(c.Query("q")), Country: strings.ToUpper(c.Query("country")),
		Topic: strings.ToLower(c.Query("topic")), Language: c.Query("language"), Hidden: c.Query("hidden"),
		From: c.Query("from"), To: c.Query("to"), Untagged: c.Query("untagged") == "1",
	}
	q := items.Query{Text: f.Q, Untagged: f.Untagged}
	q.Country, q.Topic, q.Limit = f.Country, f.Topic, itemsPerPage
	if domain.IsLanguage(f.Language) {
		q.Language = f.Language
	}
	switch f.Hidden {
	case "yes", "no":
		hidden := f.Hidden == "yes"
		q.Hidden = &hidden
	}
	var bad string
	if q.From, q.To, bad = dateRange(f.From, f.To); bad != "" {
		a.fail(c, http.StatusBadRequest, tf(lang, "items_bad_date", msg(lang, "items_"+bad)))
		return
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > items.MaxItemLimit {
			a.fail(c, http.StatusBadRequest, tf(lang, "items_bad_limit", items.MaxItemLimit))
			return
		}
		q.Limit = n
	}
	if cur := c.Query("cursor"); cur != "" {
		after, err := domain.DecodeItemCursor(cur)
		if err != nil {
			a.failErr(c, err)
			return
		}
		q.After = &after
	}
	page, err := a.Items.List(c.Request.Context(), q)
	if err != nil {
		a.failErr(c, err)
		return
	}
	tax, err := a.Taxonomy.Taxonomy(c.Request.Context())
	if err != nil {
		a.failErr(c, err)
		return
	}
	data := itemsListData{Filters: f, Paged: q.After != nil, Topics: tax.Topics, Languages: domain.Languages}
	if data.Countries, err = a.countrySelectOf(c.Request.Context(), lang, tax, f.Country); err != nil {
		a.failErr(c, err)
		return
	}
	for _, it := range page.Items {
		data.Rows = append(data.Rows, itemRow{Item: it, Tags: itemTags(tax, lang, it)})
	}
	if page.NextCursor != "" {
		data.Older = setQueryParams(c.Request.URL.RequestURI(), "cursor", page.NextCursor, "done", "")
	}
	a.render(c, http.StatusOK, "items", sectionPage(lang, "items_title", "items", data))
}

// sectionPage is the common start of a section page.
func sectionPage(lang, titleKey, section string, data any) page {
	return page{Title: msg(lang, titleKey), Section: section, Data: data}
}

// setQueryParams is the template function setQuery, for handlers.
func setQueryParams(u string, kv ...string) string {
	return funcs["setQuery"].(func(string, ...string) string)(u, kv...)
}

// itemTags lists an item's tags, countries then regions then topics,
// named in lang, each with the reason that set it.
func itemTags(tax *taxonomy.Taxonomy, lang string, it domain.Item) []tagView {
	var out []tagView
	for _, code := range it.Countries {
		out = append(out, tagView{Code: code, Name: countryName(tax, lang, code), Reason: it.TagReasons.Countries[code]})
	}
	for _, code := range it.Regions {
		out = append(out, tagView{Code: code, Name: regionName(tax, lang, code), Reason: it.TagReasons.Regions[code]})
	}
	for _, slug := range it.Topics {
		out = append(out, tagView{Code: slug, Name: topicName(tax, lang, slug), Reason: it.TagReasons.Topics[slug]})
	}
	return out
}

func countryName(tax *taxonomy.Taxonomy, lang, code string) string {
	if c, ok := tax.Country(code); ok {
		return c.Name(lang)
	}
	return code
}

func regionName(tax *taxonomy.Taxonomy, lang, code string) string {
	if r, ok := tax.Region(code); ok {
		return r.Name(lang)
	}
	return code
}

func topicName(tax *taxonomy.Taxonomy, lang, slug string) string {
	if t, ok := tax.Topic(slug); ok {
		return t.Name(lang)
	}
	return slug
}
