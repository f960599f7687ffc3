// Package web is newsdigest's HTTP side: the public subscription pages,
// the JSON API and the health and metrics endpoints. Handlers parse the
// request, call a service and render; they hold no business rules.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/csrf"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/bounce/webhook"
	"newsdigest/internal/clicks"
	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/health"
	"newsdigest/internal/items"
	"newsdigest/internal/listname"
	"newsdigest/internal/overview"
	"newsdigest/internal/staff"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/web/admin"
)

// Services are what the web app's doors call: the public pages, the
// console and the JSON API call these and nothing below them. The wiring
// (package app) builds them.
type Services struct {
	Subscribers *subscribers.Service
	Editions    *editions.Service
	Items       *items.Service
	Staff       *staff.Service
	Overview    *overview.Service
	// Taxonomy hands out the taxonomy (a *taxonomy.Cache), which every
	// form and page names things by.
	Taxonomy Taxonomies
	// Ready reports whether the database answers (readiness).
	Ready func(ctx context.Context) error
	// Migrated reports whether the database holds every migration this
	// version needs (readiness); nil: not checked.
	Migrated func(ctx context.Context) error
	// Bounces are the relays' bounce webhooks; none configured, the
	// route answers 404.
	Bounces BounceWebhooks
	// Clicks follows the mails' /r/ story links and counts their clicks.
	Clicks *clicks.Service
	// ListNames name the list in each language as the desk set them (the
	// pages' header, the console's settings); nil: the language files'.
	ListNames *listname.Names
}

// Taxonomies hand out the taxonomy as it is now.
type Taxonomies interface {
	Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error)
}

// Server holds the web app's dependencies.
type Server struct {
	cfg         *config.Config
	subscribers *subscribers.Service
	editions    *editions.Service
	items       *items.Service
	clicks      *clicks.Service
	tax         Taxonomies
	redis       asynq.RedisConnOpt
	rdb         redis.UniversalClient // readiness checks and sign-up limits
	limiter     *signupLimiter
	console     *admin.Console
	pages       *template.Template
	homePages   pageCache // the sign-up form, rendered once per language
	public      *responseCache
	metrics     *metrics
	log         *slog.Logger
	draining    atomic.Bool      // set by Drain at shutdown
	checks      *health.Checks   // /readyz's, which log why it fails
	bounces     *webhook.Handler // nil: no relay's webhook configured
	listNames   *listname.Names  // nil: the language files' names
}

// NewServer assembles the web app.
func NewServer(cfg *config.Config, svc Services, redis asynq.RedisConnOpt, reg prometheus.Registerer, log *slog.Logger) (*Server, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	rdb, err := newRedisClient(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:         cfg,
		subscribers: svc.Subscribers,
		editions:    svc.Editions,
		items:       svc.Items,
		clicks:      svc.Clicks,
		tax:         svc.Taxonomy,
		redis:       redis,
		rdb:         rdb,
		limiter:     newSignupLimiter(cfg, rdb),
		pages:       pages,
		public:      &responseCache{ttl: publicTTL},
		metrics:     newMetrics(reg),
		log:         log,
		checks:      health.NewChecks(log, svc.Ready, svc.Migrated, rdb),
		listNames:   svc.ListNames,
	}
	s.homePages.name = s.listName
	if s.bounces, err = s.newBounceHandler(svc.Bounces); err != nil {
		s.Close()
		return nil, err
	}
	s.console, err = admin.New(admin.Deps{
		Config: cfg, Subscribers: svc.Subscribers, Editions: svc.Editions, Items: svc.Items, Staff: svc.Staff,
		Overview: svc.Overview, Taxonomy: svc.Taxonomy, Clicks: svc.Clicks, Redis: rdb, RedisOpt: redis, Log: log, CSRF: s.csrf(), Registry: reg,
		ListNames: svc.ListNames,
	})
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the Redis client and the console's queue inspector.
func (s *Server) Close() error {
	errs := []error{s.rdb.Close()}
	if s.console != nil {
		errs = append(errs, s.console.Close())
	}
	return errors.Join(errs...)
}

// Handler is the whole app as an http.Handler. Metrics are not in it:
// they are served on a listener of their own (MetricsHandler).
func (s *Server) Handler() http.Handler {
	return s.track(s.router())
}

// Routes lists the method and path of every route Handler serves, as gin
// registered them (":name" for a parameter): the tests that check who may
// use each route enumerate them from here, so a route added without a
// decision about its access fails them.
func (s *Server) Routes() gin.RoutesInfo {
	return s.router().Routes()
}

// router registers every route on a new engine.
func (s *Server) router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// The client IP is recorded with consent and limits sign-ups, so
	// X-Forwarded-For counts only from TRUSTED_PROXIES (gin trusts every
	// peer unless told otherwise).
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	if err := r.SetTrustedProxies(s.trustedProxies()); err != nil {
		s.log.Error("TRUSTED_PROXIES refused by gin; trusting none", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	r.Use(routeOf, s.recoverer(), s.storableQuery)
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { s.notFound(c) })
	r.NoMethod(func(c *gin.Context) { s.methodNotAllowed(c) })

	// The probes answer HEAD alike: uptime monitors and load balancers
	// often ask with it.
	r.GET("/healthz", s.healthz)
	r.HEAD("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.HEAD("/readyz", s.readyz)
	r.GET("/static/site.css", serveStylesheet)
	r.GET("/static/estimate.js", serveEstimateScript)
	r.GET("/static/schedule.js", serveScheduleScript)
	r.GET("/estimate", s.estimate)

	// One-click unsubscribe (RFC 8058) comes from mail clients with no
	// cookie and no CSRF token: it is deliberately outside CSRF.
	r.POST("/unsubscribe/:token", s.oneClickBody(), s.unsubscribePost)
	r.GET("/digest/:edition/:token", digestCSP, s.digestPage)
	// A story link of a mail; HEAD is answered alike and counts nothing.
	r.GET("/r/:link/:stamp", s.storyRedirect)
	r.HEAD("/r/:link/:stamp", s.storyRedirect)
	r.GET("/r/:link", s.storyRedirect)
	r.HEAD("/r/:link", s.storyRedirect)
	r.GET("/archive", s.cachedArchive)
	r.GET("/feeds/country/:file", s.cachedFeed(s.countryFeed))
	r.GET("/feeds/topic/:file", s.cachedFeed(s.topicFeed))
	r.GET("/favicon.svg", serveFavicon)
	r.GET("/favicon.ico", faviconICO)
	// Relays sign their notices; they carry no cookie or CSRF token.
	r.POST("/webhooks/bounces/:provider", s.bounceWebhook)

	pages := r.Group("/", s.formBody(), s.csrf())
	pages.GET("/", s.home)
	pages.POST("/subscribe", s.subscribeForm)
	// The addresses forms answer at, asked again by a reload or the
	// browser's history: back to the page the form is on.
	pages.GET("/subscribe", s.subscribeFormAgain)
	pages.GET("/preferences/:token/pause", s.pauseFormAgain)
	pages.GET("/preferences/:token/resume", s.pauseFormAgain)
	pages.GET("/confirm/:token", s.confirmPage)
	pages.POST("/confirm/:token", s.confirmPost)
	pages.GET("/preferences/:token", s.preferencesPage)
	pages.POST("/preferences/:token", s.preferencesPost)
	pages.POST("/preferences/:token/pause", s.pausePost)
	pages.POST("/preferences/:token/resume", s.resumePost)
	pages.GET("/preferences/:token/export", s.exportRequest)
	// The mailed export link: a page, and its button downloads (a scanner
	// fetching the link spends nothing).
	pages.GET("/export/:token", s.exportPage)
	pages.POST("/export/:token", s.exportDownload)
	pages.GET("/preferences/:token/delete", s.deletePage)
	pages.GET("/preferences/:token/fewer/:kind/:key", s.fewerPage)
	pages.POST("/preferences/:token/fewer/:kind/:key", s.fewerPost)
	pages.POST("/preferences/:token/delete", s.deletePost)
	pages.GET("/unsubscribe/:token", s.unsubscribePage)

	s.console.Mount(r)

	api := r.Group("/api/v1")
	api.POST("/subscriptions", s.apiSubscribe)
	api.GET("/taxonomy", s.apiTaxonomy)
	admin := api.Group("/", s.requireAdmin())
	admin.POST("/imports", s.apiImport)
	admin.POST("/items", s.apiCreateItem)
	admin.GET("/items", s.apiItems)
	admin.PATCH("/items/:id", s.apiUpdateItem)
	admin.POST("/editions", s.apiCreateEdition)
	admin.GET("/editions", s.apiEditions)
	admin.GET("/editions/:id", s.apiEdition)
	admin.POST("/editions/:id/cancel", s.apiCancelEdition)
	admin.POST("/editions/:id/retry", s.apiRetryEdition)
	admin.POST("/editions/:id/resume", s.apiResumeEdition)
	admin.POST("/previews", s.apiPreview)
	admin.POST("/sources", s.apiCreateSource)
	admin.GET("/sources", s.apiSources)
	admin.DELETE("/sources/:id", s.apiDeleteSource)
	admin.GET("/subscribers", s.apiSubscribers)
	admin.GET("/subscribers.csv", s.apiExportSubscribers)
	admin.POST("/subscribers/import", s.apiImportSubscribers)
	admin.POST("/subscribers/:id/unsubscribe", s.apiSubscriberAction(domain.ActionUnsubscribe))
	admin.POST("/subscribers/:id/suppress", s.apiSubscriberAction(domain.ActionSuppress))
	admin.POST("/subscribers/:id/erase", s.apiSubscriberAction(domain.ActionErase))
	admin.GET("/stats/stories", s.apiStoryStats)
	return r
}

// trustedProxies is TRUSTED_PROXIES as gin takes it; nil trusts none.
func (s *Server) trustedProxies() []string {
	var out []string
	for _, p := range s.cfg.TrustedProxies {
		out = append(out, p.String())
	}
	return out
}

// stylesheet is the pages' CSS. A file of its own rather than a <style>
// block, so the content security policy need not allow inline styles.
//
//go:embed static/site.css
var stylesheet []byte

// estimateScript keeps the forms' estimate line up to date as boxes are
// ticked; the forms work without it. A file, not inline, for the same
// policy's sake.
//
//go:embed static/estimate.js
var estimateScript []byte

var (
	serveStylesheet     = serveAsset(stylesheet, "text/css; charset=utf-8")
	serveEstimateScript = serveAsset(estimateScript, "text/javascript; charset=utf-8")
)

// serveAsset serves a file of the app's own, letting browsers keep it but
// ask each time whether it changed (a 304 when not), so a new release
// shows at once.
func serveAsset(body []byte, contentType string) gin.HandlerFunc {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Type", contentType)
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", etag)
		http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(body))
	}
}

// csrf protects the HTML forms. Over plain HTTP (local development and
// tests) each request must be marked so, or the origin check refuses it.
func (s *Server) csrf() gin.HandlerFunc {
	key := sha256.Sum256(append([]byte("newsdigest csrf "), s.cfg.SecretKey...))
	protect := csrf.Protect(key[:],
		csrf.Secure(!s.cfg.PlaintextHTTP()),
		csrf.Path("/"),
		csrf.SameSite(csrf.SameSiteLaxMode),
		csrf.FieldName("csrf_token"),
		csrf.ErrorHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.log.Info("csrf refused", "request_id", requestIDOf(r), "route", routeOfRequest(r), "reason", csrf.FailureReason(r))
			s.renderPageStatus(w, r, http.StatusForbidden, "error", pageData{
				Lang: pageLang(r, ""), Message: msg(pageLang(r, ""), "csrf_failed"),
			})
		})),
	)
	// The protected handler is made once: made for each request, gorilla/csrf
	// would set up its options and its cookie codec every time. The
	// request's gin context reaches it through the request's context.
	protected := protect(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		pass := r.Context().Value(csrfPassKey{}).(*csrfPass)
		pass.passed = true
		pass.c.Request = r
		pass.c.Next()
	}))
	plaintext := s.cfg.PlaintextHTTP()
	return func(c *gin.Context) {
		pass := &csrfPass{c: c}
		ctx := context.WithValue(c.Request.Context(), csrfPassKey{}, pass)
		if plaintext {
			// What csrf.PlaintextHTTPRequest marks, in the same copy of the request.
			ctx = context.WithValue(ctx, csrf.PlaintextHTTPContextKey, true)
		}
		protected.ServeHTTP(c.Writer, c.Request.WithContext(ctx))
		if !pass.passed {
			c.Abort()
		}
	}
}

// csrfPass carries a request's gin context through the CSRF check, and
// whether it passed.
type csrfPass struct {
	c      *gin.Context
	passed bool
}

type csrfPassKey struct{}

// taxonomy returns the taxonomy as it is now.
func (s *Server) taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error) {
	return s.tax.Taxonomy(ctx)
}
