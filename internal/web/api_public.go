package web

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/subscribers"
)

func consentOf(c *gin.Context) domain.Consent {
	return domain.Consent{At: time.Now().UTC(), IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}

// allowedOrigin reports whether a request may come from the origin it
// names: a browser names it (Origin) on every cross-site POST, and only
// BASE_URL's own pages may post from a browser. A request with no Origin
// comes from a program, not a page, and passes.
func (s *Server) allowedOrigin(r *http.Request) bool {
	got, present := r.Header["Origin"]
	if !present {
		return true
	}
	if len(got) != 1 {
		return false
	}
	u, err := url.Parse(got[0])
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return false // includes "null", sent by sandboxed and privacy-minded pages
	}
	return origin(u) == origin(s.cfg.BaseURL)
}

// origin is a URL's scheme, host and port (RFC 6454), the default port
// left out as browsers do.
func origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if port == "" || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		return scheme + "://" + host
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// apiSubscribe is the public JSON sign-up. Being open to any caller, it
// takes only application/json (a form or text/plain body is what a
// cross-site page can post without asking) and no cross-site browser
// request; and it shares the form's limits per IP and per address.
func (s *Server) apiSubscribe(c *gin.Context) {
	if !s.allowedOrigin(c.Request) {
		apiStatus(c, http.StatusForbidden, "forbidden",
			"Origin: cross-site requests are refused; subscribe from "+origin(s.cfg.BaseURL)+" or call the API from a server")
		return
	}
	if mediaType(c.Request) != "application/json" {
		apiStatus(c, http.StatusUnsupportedMediaType, "unsupported_media_type",
			fmt.Sprintf("Content-Type %q: send the subscription as application/json", c.GetHeader("Content-Type")))
		return
	}
	ctx := c.Request.Context()
	if err := s.limiter.AllowIP(ctx, c.ClientIP()); err != nil {
		s.apiSignupFail(c, err)
		return
	}
	var req subscribeJSON
	if err := bindJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	// The schedule is checked before anything is written.
	in := editions.ScheduleInput{Frequency: req.Frequency, Timezone: req.Timezone, Hour: req.Hour, SendThin: req.SendThin}
	rs, own, err := s.editions.ResolveSchedule(ctx, in)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	req.Schedule = signupSchedule(in, rs, own)
	if err := s.subscribers.Subscribe(ctx, req.Request, consentOf(c), s.limiter); err != nil {
		s.apiSignupFail(c, err)
		return
	}
	c.Data(http.StatusAccepted, jsonContentType, signupAccepted)
}

// jsonContentType is what gin's c.JSON answers with.
const jsonContentType = "application/json; charset=utf-8"

// signupAccepted is the sign-up's one answer, the same for every address
// (whether it was known is never said), encoded once.
var signupAccepted = func() []byte {
	b, err := json.Marshal(gin.H{"status": "pending", "message": "If the address can be subscribed, a confirmation link is on its way."})
	if err != nil {
		panic(err)
	}
	return b
}()

// subscribeJSON is POST /api/v1/subscriptions' body: the sign-up, and
// optionally when the digest arrives (a field left out takes the desk's).
type subscribeJSON struct {
	subscribers.Request
	Frequency *string `json:"frequency"`
	Timezone  *string `json:"timezone"`
	Hour      *int    `json:"hour"`
	SendThin  *bool   `json:"send_thin"`
}

type taxonomyJSON struct {
	Countries []countryJSON `json:"countries"`
	Regions   []regionJSON  `json:"regions"`
	Topics    []topicJSON   `json:"topics"`
}

type countryJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type regionJSON struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Countries []string `json:"countries"`
}

type topicJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// apiTaxonomy lists the vocabulary; ?lang= names it in another language.
func (s *Server) apiTaxonomy(c *gin.Context) {
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	lang := c.DefaultQuery("lang", "en")
	if !domain.IsLanguage(lang) {
		s.apiFail(c, errs.New(errs.Invalid, "lang: must be one of %s", strings.Join(domain.Languages, ", ")))
		return
	}
	out := taxonomyJSON{Countries: []countryJSON{}, Regions: []regionJSON{}, Topics: []topicJSON{}}
	for _, x := range tax.Countries {
		out.Countries = append(out.Countries, countryJSON{x.Code, x.Name(lang)})
	}
	for _, x := range tax.Regions {
		out.Regions = append(out.Regions, regionJSON{x.Code, x.Name(lang), x.Countries})
	}
	for _, x := range tax.Topics {
		out.Topics = append(out.Topics, topicJSON{x.Slug, x.Name(lang)})
	}
	c.JSON(http.StatusOK, out)
}
