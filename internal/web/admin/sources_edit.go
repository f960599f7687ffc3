package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/items"
)

// sourceEditData is the edit form of one source: the source as stored,
// and the form (what was sent, when it was refused).
type sourceEditData struct {
	Source domain.Source
	Form   items.SourceRequest
}

// sourceEditForm shows a source's URL, kind and interval to change.
func (a *Console) sourceEditForm(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	src, err := a.Items.Source(c.Request.Context(), id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	form := items.SourceRequest{URL: src.URL, Kind: src.Kind, Interval: domain.FormatInterval(src.Interval)}
	a.renderSourceEdit(c, http.StatusOK, src, form, "")
}

func (a *Console) renderSourceEdit(c *gin.Context, status int, src domain.Source, form items.SourceRequest, problem string) {
	p := sectionPage(pageLang(c), "source_edit_title", "sources", sourceEditData{Source: src, Form: form})
	p.Error = problem
	a.render(c, status, "sources_edit", p)
}

// sourceEdit saves the form with the checks of adding a source; refused,
// the form comes back with what was sent and the reason, and nothing
// changes.
func (a *Console) sourceEdit(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	req := items.SourceRequest{URL: c.PostForm("url"), Kind: c.PostForm("kind"), Interval: c.PostForm("interval")}
	if _, err := a.Items.UpdateSource(ctx, currentUser(c).Name, id, req); err != nil {
		kind := errs.KindOf(err)
		if kind != errs.Invalid && kind != errs.Conflict {
			a.failErr(c, err)
			return
		}
		src, serr := a.Items.Source(ctx, id)
		if serr != nil {
			a.failErr(c, serr)
			return
		}
		a.renderSourceEdit(c, statusOf(kind), src, req, fieldProblem(pageLang(c), err, sourceLabels))
		return
	}
	done(c, "/admin/sources", "source_updated")
}
