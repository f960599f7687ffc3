package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/subscription"
	"newsdigest/internal/taxonomy"
)

// maxJSONBody bounds JSON request bodies.
const maxJSONBody = 1 << 20

func (s *Server) subscriptions() *subscription.Service {
	return &subscription.Service{DB: s.db, Queue: s.queue}
}

func consentOf(c *gin.Context) domain.Consent {
	return domain.Consent{At: time.Now().UTC(), IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}

// bindJSON decodes a bounded JSON body, naming what was wrong.
func bindJSON(c *gin.Context, v any) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	if err := c.ShouldBindJSON(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return errs.New(errs.TooLarge, "request body larger than %d bytes", maxJSONBody)
		}
		return errs.New(errs.Malformed, "body: not valid JSON of the expected shape: %v", err)
	}
	return nil
}

func (s *Server) apiSubscribe(c *gin.Context) {
	var req subscription.Request
	if err := bindJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if err := s.subscriptions().Subscribe(c.Request.Context(), tax, req, consentOf(c)); err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "pending", "message": "If the address can be subscribed, a confirmation link is on its way."})
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

// apiTaxonomy lists the vocabulary; ?lang=es names it in Spanish.
func (s *Server) apiTaxonomy(c *gin.Context) {
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	lang := c.DefaultQuery("lang", "en")
	if !domain.IsLanguage(lang) {
		s.apiFail(c, errs.New(errs.Invalid, "lang: must be en or es"))
		return
	}
	out := taxonomyJSON{Countries: []countryJSON{}, Regions: []regionJSON{}, Topics: []topicJSON{}}
	for _, x := range tax.Countries {
		out.Countries = append(out.Countries, countryJSON{x.Code, taxonomy.Name(lang, x.NameEN, x.NameES)})
	}
	for _, x := range tax.Regions {
		out.Regions = append(out.Regions, regionJSON{x.Code, taxonomy.Name(lang, x.NameEN, x.NameES), x.Countries})
	}
	for _, x := range tax.Topics {
		out.Topics = append(out.Topics, topicJSON{x.Slug, taxonomy.Name(lang, x.NameEN, x.NameES)})
	}
	c.JSON(http.StatusOK, out)
}
