package admin

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// itemFeature features a story for the next edition or a week (span
// "edition" or "week"), or stops featuring it ("none"): it leads its
// section in the digests made meanwhile.
func (a *Console) itemFeature(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	until, err := a.Items.FeatureUntil(c.PostForm("span"), time.Now())
	if err != nil {
		a.failErr(c, err)
		return
	}
	if _, err := a.Items.Feature(c.Request.Context(), currentUser(c).Name, id, until); err != nil {
		a.failErr(c, err)
		return
	}
	key := "item_featured"
	if until == nil {
		key = "item_unfeatured"
	}
	done(c, "/admin/items/"+strconv.FormatInt(id, 10), key)
}
