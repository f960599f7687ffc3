// Package admin is the news desk's console: server-rendered pages where
// editors import and fix items, send and steer editions, and look after
// subscribers. It calls the same services (packages items, editions,
// subscribers, staff and overview) as the JSON API, and nothing below
// them.
package admin

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/clicks"
	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/items"
	"newsdigest/internal/listname"
	"newsdigest/internal/overview"
	"newsdigest/internal/staff"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
)

// Deps are what the console is built from; the web server owns them.
type Deps struct {
	Config      *config.Config
	Subscribers *subscribers.Service
	Editions    *editions.Service
	Items       *items.Service
	Staff       *staff.Service
	Overview    *overview.Service
	// Clicks counts the readers of the mails' stories (the readers page).
	Clicks *clicks.Service
	// Taxonomy hands out the taxonomy as it is now (a *taxonomy.Cache).
	Taxonomy interface {
		Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error)
	}
	Redis    redis.UniversalClient // login limits
	RedisOpt asynq.RedisConnOpt    // the queues' state
	Log      *slog.Logger
	// CSRF checks every form's token; the public pages use the same one.
	CSRF gin.HandlerFunc
	// ListNames name the list in each language (the settings page); nil
	// leaves the page out.
	ListNames *listname.Names
	// Registry takes the console's metrics (the password checks); nil
	// keeps them unregistered.
	Registry prometheus.Registerer
}

// Console serves /admin.
type Console struct {
	Deps
	pages     *template.Template
	limiter   *loginLimiter
	checks    *passwordChecks
	inspector *asynq.Inspector
	ownerKey  []byte // identifies the current ADMIN_PASSWORD in owner sessions
}

// New builds the console.
func New(d Deps) (*Console, error) {
	pages, err := parsePages(d.Config.DigestTZ)
	if err != nil {
		return nil, err
	}
	return &Console{
		Deps:      d,
		pages:     pages,
		limiter:   newLoginLimiter(d.Config, d.Redis),
		checks:    newPasswordChecks(d.Registry),
		inspector: asynq.NewInspector(d.RedisOpt),
		ownerKey:  ownerKey(d.Config),
	}, nil
}

// Close releases the queue inspector.
func (a *Console) Close() error {
	return a.inspector.Close()
}

// Mount adds the console's routes. Pages other than the login need a
// session, checked before a byte of the body is read; then the body is
// bounded and the CSRF token checked.
func (a *Console) Mount(r *gin.Engine) {
	r.GET("/admin/static/:file", serveStatic)

	// The login is open to anyone: its body is capped small and must be a
	// plain form, before the CSRF check or anything else parses it; the
	// login checks its own fields' text (plainName).
	open := r.Group("/admin", consolePolicy, a.cookieScheme, a.body(maxLoginBody, false), a.CSRF)
	open.GET("/login", a.loginPage)
	open.POST("/login", a.loginPost)

	g := r.Group("/admin", consolePolicy, a.cookieScheme, a.requireSession, a.body(maxConsoleBody, true), a.storableText, a.CSRF)
	g.POST("/logout", a.logout)
	a.dashboardRoutes(g)
	edit := g.Group("", a.requireRole(roleEdit))
	a.itemsRoutes(edit)
	a.taggingRoutes(edit)
	a.sourcesRoutes(edit)
	a.editionsRoutes(edit)
	a.readersRoutes(edit)
	a.schedulesRoutes(edit)
	if a.ListNames != nil {
		a.settingsRoutes(edit)
	}
	people := g.Group("", a.requireRole(roleSubscribers))
	a.subscribersRoutes(people)
	a.auditRoutes(people)
	a.editorsRoutes(g)
	a.queuesRoutes(g)
	a.formAgainRoutes(open, g, edit, people)
}

// storableText refuses (400) a query or form holding a NUL or bytes that
// are not UTF-8: no field of the console is such text, and the database
// would refuse it with an error shown as a 500. An uploaded file is not
// a form value: its importer names the line at fault.
func (a *Console) storableText(c *gin.Context) {
	r := c.Request
	if _, bad := domain.UnstorableField(r.URL.Query()); bad {
		a.fail(c, http.StatusBadRequest, msg(pageLang(c), "not_found"))
		return
	}
	if _, bad := domain.UnstorableField(r.PostForm); bad {
		a.fail(c, http.StatusBadRequest, msg(pageLang(c), "body_unreadable"))
		return
	}
	c.Next()
}

// consolePolicy lets the console run its own script files (the live
// progress bar) and fetch from itself; still nothing inline and nothing
// from elsewhere. The digest preview is shown in a sandboxed frame
// served by the console itself.
func consolePolicy(c *gin.Context) {
	c.Header("Content-Security-Policy", consoleCSP)
	c.Next()
}

const consoleCSP = "default-src 'none'; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// cookieScheme notes for the console's cookies whether BASE_URL is plain
// http (see pageLang).
func (a *Console) cookieScheme(c *gin.Context) {
	if a.Config.PlaintextHTTP() {
		c.Set(plaintextKey, true)
	}
	c.Next()
}

// maxConsoleBody bounds a console form, uploads included: a 5 MiB listing
// or list of people, with room for the form around it. Only a session
// opens the way to it.
const maxConsoleBody = 6 << 20

// maxLoginBody bounds the login form, which anyone may post: a user, a
// password of at most 1 KiB, the CSRF token and the page to go back to.
const maxLoginBody = 8 << 10

// body reads a form (urlencoded, or with uploads multipart) into memory
// within limit bytes, before the CSRF check parses it: a multipart body
// parsed there would be spooled to temporary files nothing removes. A
// declared length over the limit is refused before a byte is read.
func (a *Console) body(limit int64, uploads bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		tooLarge := func() {
			if limit >= 1<<20 {
				a.fail(c, http.StatusRequestEntityTooLarge, tf(pageLang(c), "body_too_large", limit>>20))
				return
			}
			a.fail(c, http.StatusRequestEntityTooLarge, tf(pageLang(c), "body_too_large_kib", limit>>10))
		}
		mt := mediaType(r)
		if mt != "application/x-www-form-urlencoded" && (mt != "multipart/form-data" || !uploads) {
			a.fail(c, http.StatusUnsupportedMediaType, msg(pageLang(c), "body_not_form"))
			return
		}
		if r.ContentLength > limit {
			tooLarge()
			return
		}
		r.Body = http.MaxBytesReader(c.Writer, r.Body, limit)
		var err error
		if mt == "multipart/form-data" {
			// maxMemory above the body limit: every part stays in memory.
			err = r.ParseMultipartForm(limit + 1<<20)
		} else {
			err = r.ParseForm()
		}
		if err != nil {
			var over *http.MaxBytesError
			if errors.As(err, &over) {
				tooLarge()
				return
			}
			a.fail(c, http.StatusBadRequest, msg(pageLang(c), "body_unreadable"))
			return
		}
		c.Next()
	}
}
