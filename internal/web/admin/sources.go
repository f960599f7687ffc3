package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/items"
)

func (a *Console) sourcesRoutes(g *gin.RouterGroup) {
	g.GET("/sources", a.sourcesList)
	g.POST("/sources", a.sourceAdd)
	g.GET("/sources/:id/remove", a.sourceRemoveConfirm)
	g.POST("/sources/:id/remove", a.sourceRemove)
	g.POST("/sources/:id/poll", a.sourcePollNow)
	g.GET("/sources/:id/edit", a.sourceEditForm)
	g.POST("/sources/:id/edit", a.sourceEdit)
}

type sourcesData struct {
	Sources []sourceRow
	Form    items.SourceRequest // the add form, again with what was sent when refused
}

// sourceRow is a source as the list shows it.
type sourceRow struct {
	domain.Source
	Every string // the interval, as typed ("1h", "30m")
}

func (a *Console) sourcesList(c *gin.Context) {
	a.renderSources(c, http.StatusOK, items.SourceRequest{Kind: domain.SourceFeed, Interval: "1h"}, "")
}

func (a *Console) renderSources(c *gin.Context, status int, form items.SourceRequest, problem string) {
	list, err := a.Items.Sources(c.Request.Context())
	if err != nil {
		a.failErr(c, err)
		return
	}
	data := sourcesData{Form: form}
	for _, s := range list {
		data.Sources = append(data.Sources, sourceRow{Source: s, Every: domain.FormatInterval(s.Interval)})
	}
	p := sectionPage(pageLang(c), "sources_title", "sources", data)
	p.Error = problem
	a.render(c, status, "sources", p)
}

// sourceAdd registers a source with the same checks as the API's.
func (a *Console) sourceAdd(c *gin.Context) {
	req := items.SourceRequest{URL: c.PostForm("url"), Kind: c.PostForm("kind"), Interval: c.PostForm("interval")}
	if _, err := a.Items.CreateSource(c.Request.Context(), currentUser(c).Name, req); err != nil {
		switch errs.KindOf(err) {
		case errs.Invalid, errs.Conflict:
			a.renderSources(c, statusOf(errs.KindOf(err)), req, fieldProblem(pageLang(c), err, sourceLabels))
		default:
			a.failErr(c, err)
		}
		return
	}
	done(c, "/admin/sources", "source_added")
}

// sourceRemoveConfirm says what removing a source does before it is done.
func (a *Console) sourceRemoveConfirm(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	src, err := a.Items.Source(c.Request.Context(), id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.render(c, http.StatusOK, "sources_remove", sectionPage(pageLang(c), "source_remove_title", "sources", src))
}

func (a *Console) sourceRemove(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	if _, err := a.Items.DeleteSource(c.Request.Context(), currentUser(c).Name, id); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/sources", "source_removed")
}

// sourcePollNow asks for a source to be polled at once.
func (a *Console) sourcePollNow(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	if err := a.Items.PollNow(c.Request.Context(), currentUser(c).Name, id); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/sources", "source_poll_asked")
}

// sourceLabels names a source's fields as its forms label them.
var sourceLabels = map[string]string{"url": "source_url", "kind": "source_kind", "interval": "source_interval"}
