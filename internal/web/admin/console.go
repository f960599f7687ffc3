// Package admin is the news desk's console: server-rendered pages where
// editors import and fix items, send and steer editions, and look after
// subscribers. It calls the same services (package desk) as the JSON API.
package admin

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/desk"
	"newsdigest/internal/postgres"
)

// Deps are what the console is built from; the web server owns them.
type Deps struct {
	Config   *config.Config
	DB       *postgres.DB
	Desk     *desk.Desk
	Redis    *redis.Client      // login limits
	RedisOpt asynq.RedisConnOpt // the queues' state
	Log      *slog.Logger
	// CSRF checks every form's token; the public pages use the same one.
	CSRF gin.HandlerFunc
}

// Console serves /admin.
type Console struct {
	Deps
	pages     *template.Template
	limiter   *loginLimiter
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

	open := r.Group("/admin", consolePolicy, a.body(), a.CSRF)
	open.GET("/login", a.loginPage)
	open.POST("/login", a.loginPost)

	g := r.Group("/admin", consolePolicy, a.requireSession, a.body(), a.CSRF)
	g.POST("/logout", a.logout)
	a.dashboardRoutes(g)
	a.itemsRoutes(g)
	a.sourcesRoutes(g)
	a.editionsRoutes(g)
	a.subscribersRoutes(g)
	a.editorsRoutes(g)
	a.auditRoutes(g)
	a.queuesRoutes(g)
}

// consolePolicy lets the console run its own script files (the live
// progress bar) and fetch from itself; still nothing inline and nothing
// from elsewhere. The digest preview is shown in a sandboxed frame
// served by the console itself.
func consolePolicy(c *gin.Context) {
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; "+
		"connect-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	c.Next()
}

// maxConsoleBody bounds a console form, uploads included: a 5 MiB listing
// or list of people, with room for the form around it.
const maxConsoleBody = 6 << 20

// body reads a form (urlencoded, or multipart for uploads) into memory
// within maxConsoleBody, before the CSRF check parses it: a multipart
// body parsed there would be spooled to temporary files nothing removes.
func (a *Console) body() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		r.Body = http.MaxBytesReader(c.Writer, r.Body, maxConsoleBody)
		var err error
		switch mediaType(r) {
		case "application/x-www-form-urlencoded":
			err = r.ParseForm()
		case "multipart/form-data":
			// maxMemory above the body limit: every part stays in memory.
			err = r.ParseMultipartForm(maxConsoleBody + 1<<20)
		default:
			a.fail(c, http.StatusUnsupportedMediaType, msg(pageLang(c), "body_not_form"))
			return
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				a.fail(c, http.StatusRequestEntityTooLarge, tf(pageLang(c), "body_too_large", maxConsoleBody>>20))
				return
			}
			a.fail(c, http.StatusBadRequest, msg(pageLang(c), "body_unreadable"))
			return
		}
		c.Next()
	}
}
