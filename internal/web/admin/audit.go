package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
)

func (a *Console) auditRoutes(g *gin.RouterGroup) {
	g.GET("/audit", a.auditPage)
}

// auditPageSize is how many entries a page of the log shows.
const auditPageSize = 50

// auditObjectTypes are the objects the filter offers; the log may name
// others, which the filter still accepts from the URL.
var auditObjectTypes = []string{"item", "items", "source", "edition", "test_send", "subscriber", "editor", "import", "settings", "schedule_settings"}

type auditRow struct {
	domain.AuditEntry
	Link string // the object's page, when it has one
	// Words say the action and its object in the page's language
	// ("Logged in", "Edition 12"); the code stays in the page for a
	// search and in the filter.
	Words, Object string
	// Detail is the entry's detail in the page's language.
	Detail string
}

type auditData struct {
	Rows        []auditRow
	Actor       string
	ObjectType  string
	ObjectTypes []string
	Older       string // the next page's URL; "" on the last
	Paged       bool   // not the first page
	Sessions    bool   // log-ins and log-outs are shown
}

func (a *Console) auditPage(c *gin.Context) {
	lang := pageLang(c)
	f := domain.AuditFilter{
		Actor:      strings.TrimSpace(c.Query("actor")),
		ObjectType: strings.TrimSpace(c.Query("object_type")),
		// Log-ins and log-outs are folded away unless asked for: each
		// editor's every log-in would bury the actions that matter.
		WithoutSessions: c.Query("sessions") != "1",
		Limit:           auditPageSize + 1, // one more tells whether there is an older page
	}
	if b := c.Query("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			a.fail(c, http.StatusBadRequest, msg(lang, "audit_bad_before"))
			return
		}
		f.Before = n
	}
	entries, err := a.Staff.AuditLog(c.Request.Context(), f)
	if err != nil {
		a.failErr(c, err)
		return
	}
	d := auditData{Actor: f.Actor, ObjectType: f.ObjectType, ObjectTypes: auditObjectTypes, Paged: f.Before > 0,
		Sessions: !f.WithoutSessions}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		q := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		if f.Actor != "" {
			q.Set("actor", f.Actor)
		}
		if f.ObjectType != "" {
			q.Set("object_type", f.ObjectType)
		}
		if d.Sessions {
			q.Set("sessions", "1")
		}
		d.Older = "/admin/audit?" + q.Encode()
	}
	d.Rows = auditRows(lang, currentUser(c).Roles, entries)
	a.render(c, http.StatusOK, "audit", page{Title: msg(lang, "nav_audit"), Section: "audit", Data: d})
}

// auditRows are entries as the page shows them in lang to an editor with
// roles.
func auditRows(lang string, roles domain.Roles, entries []domain.AuditEntry) []auditRow {
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{AuditEntry: e, Link: auditLink(roles, e.ObjectType, e.ObjectID),
			Words: auditWords(lang, e.Action), Object: auditObject(lang, e.ObjectType, e.ObjectID),
			Detail: auditDetail(lang, e)}
	}
	return rows
}

// auditLink is the console page of an object the log names, if any and
// if roles open it: a page that would answer 403 is named, not linked.
func auditLink(roles domain.Roles, objectType, id string) string {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return ""
	}
	switch {
	case objectType == "item" && roles.Edit:
		return "/admin/items/" + id
	case objectType == "edition" && roles.Edit:
		return "/admin/editions/" + id
	case objectType == "subscriber" && roles.Subscribers:
		return "/admin/subscribers/" + id
	}
	return ""
}

// auditWords says an action code in lang ("session.login" → "Logged
// in"); a code the catalogue does not know is shown as it is.
func auditWords(lang, action string) string {
	key := "audit_do_" + strings.NewReplacer(".", "_").Replace(action)
	if hasMsg(key) {
		return msg(lang, key)
	}
	return action
}

// auditObject names what an entry is about in lang ("Edition 12"). An
// entry about no one of its kind (a subscribers' import or export) names
// them all ("Subscribers") where the catalogue has the words.
func auditObject(lang, objectType, id string) string {
	key := "audit_obj_" + objectType
	if id == "" && hasMsg(key+"_all") {
		key += "_all"
	}
	if objectType == "" || !hasMsg(key) {
		return strings.TrimSpace(objectType + " " + id)
	}
	return strings.TrimSpace(msg(lang, key) + " " + id)
}
