package admin

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
)

// subscribersPerPage is how many people a page of the list shows.
const subscribersPerPage = 50

func (a *Console) subscribersRoutes(g *gin.RouterGroup) {
	g.GET("/subscribers", a.subscribersList)
	g.GET("/subscribers.csv", a.subscribersExport)
	g.GET("/subscribers/import", a.subscribersImportForm)
	g.POST("/subscribers/import", a.subscribersImportPreview)
	g.POST("/subscribers/import/confirm", a.subscribersImportConfirm)
	g.GET("/subscribers/:id", a.subscriberDetail)
	g.GET("/subscribers/:id/:action", a.subscriberActionConfirm)
	g.POST("/subscribers/:id/:action", a.subscriberActionPost)
}

// subscriberQuery reads the list's filters; the export and the API take
// the same parameters.
func subscriberQuery(c *gin.Context) subscribers.Query {
	return subscribers.Query{Status: c.Query("status"), Country: c.Query("country"), Topic: c.Query("topic"),
		Language: c.Query("language"), Address: c.Query("address")}
}

type subscribersView struct {
	Query     subscribers.Query
	Statuses  []string
	Languages []string
	Countries countrySelect
	Topics    []choice
	Counts    []statusCount
	Total     int
	Filtered  bool // some filter is set: an empty list is no match, not no one
	People    []personRow
	Next      string // the URL of the next page, if any
	First     string // the URL of the first page, when not on it
	ExportURL string
}

type choice struct{ Value, Label string }

type statusCount struct {
	Status string
	Count  int
	Href   string
}

type personRow struct {
	domain.Subscriber
	CountryNames, TopicNames []string
}

func (a *Console) subscribersList(c *gin.Context) {
	ctx := c.Request.Context()
	lang := pageLang(c)
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		a.failErr(c, err)
		return
	}
	q := subscriberQuery(c)
	v := subscribersView{Query: q, Filtered: q != subscribers.Query{}, Statuses: domain.ListStatuses, Languages: domain.Languages,
		Topics: topicChoices(tax, lang)}
	if v.Countries, err = a.countrySelectOf(ctx, lang, tax, q.Country); err != nil {
		a.failErr(c, err)
		return
	}
	f, err := a.Subscribers.Filter(ctx, q)
	if err != nil {
		a.failErr(c, err)
		return
	}
	f.Limit = subscribersPerPage + 1 // one more tells whether there is a next page
	if after, err := strconv.ParseInt(c.Query("after"), 10, 64); err == nil && after > 0 {
		f.After = after
		v.First = setQueryValue(c.Request.URL.RequestURI(), "after", "")
	}
	people, err := a.Subscribers.List(ctx, f)
	if err != nil {
		a.failErr(c, err)
		return
	}
	if len(people) > subscribersPerPage {
		people = people[:subscribersPerPage]
		v.Next = setQueryValue(c.Request.URL.RequestURI(), "after", strconv.FormatInt(people[len(people)-1].ID, 10), "done", "")
	}
	for _, p := range people {
		v.People = append(v.People, personRow{Subscriber: p,
			CountryNames: chosenCountries(tax, lang, p.Filter), TopicNames: chosenTopics(tax, lang, p.Filter)})
	}
	counts, err := a.Subscribers.Counts(ctx, f)
	if err != nil {
		a.failErr(c, err)
		return
	}
	for _, s := range domain.ListStatuses {
		v.Counts = append(v.Counts, statusCount{Status: s, Count: counts[s],
			Href: setQueryValue(c.Request.URL.RequestURI(), "status", s, "after", "", "done", "")})
		// The paused are active readers too: counted once.
		if q.Status == s || q.Status == "" && s != domain.ListPaused {
			v.Total += counts[s]
		}
	}
	v.ExportURL = setQueryValue("/admin/subscribers.csv?"+c.Request.URL.RawQuery, "after", "", "done", "", "lang", "",
		"imported", "", "skipped", "")
	p := page{Title: msg(lang, "nav_subscribers"), Section: "subscribers", Data: v}
	if c.Query("done") == "sub_imported" {
		imported, _ := strconv.Atoi(c.Query("imported"))
		skipped, _ := strconv.Atoi(c.Query("skipped"))
		p.Flash = tn(lang, "sub_imported_n", imported)
		if skipped > 0 {
			p.Flash += " " + tn(lang, "sub_import_skipped_n", skipped)
		}
	}
	a.render(c, http.StatusOK, "subscribers", p)
}

// subscribersExport downloads the list as GET /api/v1/subscribers.csv
// does, with the page's filters, through the same desk service.
func (a *Console) subscribersExport(c *gin.Context) {
	f, err := a.Subscribers.Filter(c.Request.Context(), subscriberQuery(c))
	if err != nil {
		a.failErr(c, err)
		return
	}
	// A long list takes longer than the server's usual write timeout.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(10 * time.Minute))
	started, err := a.Subscribers.ExportCSV(c.Request.Context(), currentUser(c).Name, f, func() io.Writer {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="subscribers.csv"`)
		c.Header("Cache-Control", "no-store")
		c.Status(http.StatusOK)
		return c.Writer
	})
	if err == nil {
		return
	}
	if !started {
		a.failErr(c, err)
		return
	}
	// A broken-off download, not half a file passing for a whole one.
	a.Log.Warn("console subscriber export stopped midway", "err", err)
	panic(http.ErrAbortHandler)
}

func setQueryValue(u string, kv ...string) string {
	return funcs["setQuery"].(func(string, ...string) string)(u, kv...)
}

func topicChoices(tax *taxonomy.Taxonomy, lang string) []choice {
	out := make([]choice, 0, len(tax.Topics))
	for _, t := range tax.Topics {
		out = append(out, choice{t.Slug, t.Name(lang)})
	}
	return out
}

// countryNames names codes in lang; a code the taxonomy no longer has
// shows as itself.
func countryNames(tax *taxonomy.Taxonomy, lang string, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, code := range codes {
		if c, ok := tax.Country(code); ok {
			out = append(out, c.Name(lang))
		} else {
			out = append(out, code)
		}
	}
	return out
}

func topicNames(tax *taxonomy.Taxonomy, lang string, slugs []string) []string {
	out := make([]string, 0, len(slugs))
	for _, slug := range slugs {
		if t, ok := tax.Topic(slug); ok {
			out = append(out, t.Name(lang))
		} else {
			out = append(out, slug)
		}
	}
	return out
}
