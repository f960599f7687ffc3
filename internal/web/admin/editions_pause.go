package admin

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
)

// editionsResume lets an edition that paused itself send again; to stop
// it instead, the page offers cancel.
func (a *Console) editionsResume(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	if err := a.Editions.Resume(c.Request.Context(), currentUser(c).Name, id); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editions/"+strconv.FormatInt(id, 10), "edition_resumed")
}

// pauseLimit is the limit an edition paused by cause passed, as a
// percentage in lang ("5%", "0.1%", "0,1 %").
func pauseLimit(lang string, l domain.PauseLimits, cause string) string {
	rate := l.BounceRate
	if cause == domain.PauseComplaints {
		rate = l.ComplaintRate
	}
	return percentText(lang, rate, 3)
}
