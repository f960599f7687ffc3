package admin

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/csrf"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
)

//go:embed templates/*.html
var pageFiles embed.FS

// page is what every console template receives.
type page struct {
	Lang      string
	Title     string
	Section   string // the navigation entry to mark as current
	User      *user
	CSRFField template.HTML
	Path      string // the current URL, for the language switch
	Flash     string // what the last action did, shown once
	Error     string
	// Refresh reloads the page every so many seconds when scripts are off
	// (a live page's fallback); 0: never.
	Refresh int
	Scripts []string // files of static/ the page runs
	Data    any
}

// parsePages parses the console's templates; their times are shown in
// zone (DIGEST_TZ), the desk's.
func parsePages(zone *time.Location) (*template.Template, error) {
	t, err := template.New("").Funcs(funcs).Funcs(template.FuncMap{
		"when": func(t any) string { return when(zone, t) },
		// whenCell is when for a narrow column: it may break between
		// the day and the time, never inside either.
		"whenCell": func(t any) template.HTML {
			day, rest, ok := strings.Cut(when(zone, t), " ")
			if !ok {
				return template.HTML(template.HTMLEscapeString(day))
			}
			return template.HTML(`<span class="nowrap">` + template.HTMLEscapeString(day) + `</span> <span class="nowrap">` +
				template.HTMLEscapeString(rest) + `</span>`)
		},
		"subStatus": func(lang string, status domain.SubscriberStatus, pausedUntil *time.Time) statusView {
			return subscriberStatus(lang, zone, status, pausedUntil)
		},
	}).ParseFS(pageFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse console templates: %w", err)
	}
	return t, nil
}

// when formats a time (a time.Time or *time.Time) for a table: date and
// minutes in the desk's time zone, named, as the schedule is written in
// it: "2026-03-02 07:00 JST". A missing time is a dash.
func when(zone *time.Location, t any) string {
	var v time.Time
	switch x := t.(type) {
	case time.Time:
		v = x
	case *time.Time:
		if x != nil {
			v = *x
		}
	}
	if v.IsZero() {
		return "—"
	}
	return v.In(zone).Format(whenLayout)
}

// whenLayout writes a time with its zone's name.
const whenLayout = "2006-01-02 15:04 MST"

var funcs = template.FuncMap{
	"t":  msg,
	"tf": tf,
	"tn": tn,
	// tnf is tn for a counted string with more to fill in than the count:
	// {{tnf .Lang "key" n arg1 n}} picks the form for n.
	"tnf": func(lang, key string, n int, args ...any) string {
		return i18n.Plural(lang, "console."+key, n, args...)
	},
	// decimal, pausePercent and label: see numbers.go.
	"decimal":      decimal,
	"pausePercent": pausePercent,
	"label":        label,
	// regionAll is the box that chooses every country of a region, in
	// the words of the public form's: {{regionAll .Lang "Caraïbes"}}.
	"regionAll": func(lang, region string) string { return i18n.Format(lang, "page.region_all", region) },
	// languageName names a language in the page's: {{languageName .Lang "es"}}.
	"languageName": languageName,
	// languages are the catalogue's, for the language switch and choices.
	"languages": func() []string { return domain.Languages },
	// autonym names a language in itself: "Français".
	"autonym": i18n.Autonym,
	// when, whenCell and subStatus: see parsePages.
	"when":      func(any) string { return "" },
	"whenCell":  func(any) template.HTML { return "" },
	"subStatus": func(string, domain.SubscriberStatus, *time.Time) statusView { return statusView{} },
	"join":      strings.Join,
	// setQuery sets (or, with an empty value, removes) query parameters of a
	// URL, for filter and paging links.
	"setQuery": func(u string, kv ...string) string {
		p, err := url.Parse(u)
		if err != nil {
			return u
		}
		q := p.Query()
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				q.Del(kv[i])
			} else {
				q.Set(kv[i], kv[i+1])
			}
		}
		p.RawQuery = q.Encode()
		return p.String()
	},
	// percent is part of whole as a whole percentage, for progress bars.
	"percent": func(part, whole int) int {
		if whole <= 0 {
			return 0
		}
		return min(100, part*100/whole)
	},
	"itoa": func(n any) string { return fmt.Sprint(n) },
	// editedFields: see items_edit.go.
	"editedFields": editedFields,
	// pollError says a source's last error: see sources_errors.go.
	"pollError": pollError,
	// reason says why a tag was set: see reasons.go.
	"reason": reasonText,
	// skipReason says why a delivery was skipped: see editions_show.go.
	"skipReason": skipReasonLabel,
	// consentVia says what a consent came through: see subscribers_consents.go.
	"consentVia": consentVia,
	// address is a subscriber's address as the console shows it: an
	// erased person's stored keyed hash (domain.ErasedAddressPrefix) is
	// said in words.
	"address": func(lang, email string) string {
		if strings.HasPrefix(email, domain.ErasedAddressPrefix) {
			return msg(lang, "sub_erased_address")
		}
		return email
	},
	// latency: see queues.go.
	"latency": latency,
	// rolesOf pairs roles with the page's language for the "roles" and
	// "roles-fields" templates.
	"rolesOf": func(lang string, r domain.Roles) rolesView { return rolesView{Lang: lang, Roles: r} },
	"navItem": func(p page, section, href string) navLink {
		return navLink{Href: href, Label: msg(p.Lang, "nav_"+section), Current: p.Section == section}
	},
	// suggestionArgs gives the suggestion block its page, the suggestion,
	// and where its forms return ("item", or "" for the list).
	"suggestionArgs": func(p page, s suggestionView, back string) suggestionBlock {
		return suggestionBlock{Page: p, Suggestion: s, Back: back}
	},
}

// suggestionBlock is what the "suggestion" template receives.
type suggestionBlock struct {
	Page       page
	Suggestion suggestionView
	Back       string
}

type navLink struct {
	Href, Label string
	Current     bool
}

// render writes a console page; rendering goes to a buffer first, so a
// template error is a clean 500 rather than half a page.
func (a *Console) render(c *gin.Context, status int, name string, p page) {
	p.Lang = pageLang(c)
	p.User = currentUser(c)
	p.Path = c.Request.URL.RequestURI()
	if p.CSRFField == "" {
		p.CSRFField = csrf.TemplateField(c.Request)
	}
	if key := c.Query("done"); key != "" {
		// A notice shows once, on the page its action sent the browser
		// to (flash.go); a page that counts what was done from the
		// address (new=, imported=) shows it only then as well.
		switch {
		case !takeFlash(c, key):
			p.Flash = ""
		case p.Flash == "" && hasMsg("done_"+key):
			p.Flash = msg(p.Lang, "done_"+key)
		}
		if p.Flash != "" {
			p.Scripts = append(p.Scripts, "flash.js")
		}
	}
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, name+".html", p); err != nil {
		a.Log.Error("render console page", "page", name, "err", err)
		c.String(http.StatusInternalServerError, "internal error")
		c.Abort()
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.Status(status)
	c.Writer.Write(buf.Bytes())
}

// fail shows the console's error page with a message for the user.
func (a *Console) fail(c *gin.Context, status int, message string) {
	lang := pageLang(c)
	a.render(c, status, "error", page{Title: msg(lang, "error_title"), Error: message})
	c.Abort()
}

// failErr shows err: its own message for what the user can fix, a
// generic one (and a log line) for what went wrong inside.
func (a *Console) failErr(c *gin.Context, err error) {
	lang := pageLang(c)
	kind := errs.KindOf(err)
	switch kind {
	case errs.Internal:
		a.Log.Error("console request failed", "route", c.FullPath(), "err", err)
		a.fail(c, http.StatusInternalServerError, msg(lang, "internal"))
	case errs.Unavailable:
		a.Log.Error("console request failed", "route", c.FullPath(), "err", err)
		a.fail(c, http.StatusServiceUnavailable, msg(lang, "unavailable"))
	default:
		a.fail(c, statusOf(kind), errorText(lang, err))
	}
}

// statusOf is the HTTP status for an error kind.
func statusOf(k errs.Kind) int { return errs.HTTPStatus(k) }

// done sends the browser on after an action (post, redirect, get), with
// a key of the message saying what was done.
func done(c *gin.Context, path, key string) {
	u, _ := url.Parse(path)
	q := u.Query()
	if key != "" {
		q.Set("done", key)
		setFlash(c, key)
	}
	u.RawQuery = q.Encode()
	c.Redirect(http.StatusSeeOther, u.String())
}

// rolesView is what the roles templates see.
type rolesView struct {
	Lang  string
	Roles domain.Roles
}

// idParam reads a numeric id from the path; 404 when it cannot be one.
func (a *Console) idParam(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		a.fail(c, http.StatusNotFound, msg(pageLang(c), "not_found"))
		return 0, false
	}
	return id, true
}

// mediaType is the request's media type, lower case, without parameters.
func mediaType(r *http.Request) string {
	t, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return t
}
