package admin

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/token"
)

// readSample reads what a preview or test send is of: an edition (empty
// or 0: the latest items), a subscriber's address, or a filter.
func readSample(get func(string) string, getAll func(string) []string) (editions.Sample, bool, error) {
	var s editions.Sample
	if v := strings.TrimSpace(get("edition")); v != "" && v != "0" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return s, false, errs.New(errs.Invalid, "edition: %q is not an edition number", v)
		}
		s.EditionID = id
	}
	s.Email = strings.TrimSpace(get("email"))
	s.Filter = domain.Filter{
		Countries: getAll("countries"), Topics: getAll("topics"),
		Language: get("language"), Mode: get("mode"),
	}
	asked := s.Email != "" || len(s.Filter.Countries) > 0 || len(s.Filter.Topics) > 0
	return s, asked, nil
}

type editionsPreviewData struct {
	Sample   editions.Sample
	Editions []domain.Edition
	Choices  previewChoices // editions_preview_choices.go
	Frame    string         // the iframe's src; "" until something is asked for
	Hidden   url.Values     // the sample, for the test send's form
	// SendKey is the test send form's one-time key: the form sent twice
	// (a double click) sends one test; the page it leads back to has a
	// new one.
	SendKey string
	// Tests are how the editor's test sends of the last day went.
	Tests []domain.TestSendResult
}

// testSendsListed is how many of an editor's test sends the preview lists.
const testSendsListed = 5

// testSendKey is the test send form's field for its one-time key.
const testSendKey = "send_key"

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// editionsPreview shows the digest a subscriber or a filter would get,
// rendered in a sandboxed frame, with the test send beside it.
func (a *Console) editionsPreview(c *gin.Context) {
	lang := pageLang(c)
	ctx := c.Request.Context()
	p := page{Title: msg(lang, "editions_preview_title"), Section: "editions"}
	s, asked, serr := a.readPreviewSample(c, c.Query, c.QueryArray)
	if s.Email != "" && !a.allowed(c, roleSubscribers) {
		return // a named subscriber's choices are theirs to see who manage subscribers
	}
	d := editionsPreviewData{Sample: s}
	var err error
	if d.Editions, err = a.Editions.List(ctx, 20); err != nil {
		a.failErr(c, err)
		return
	}
	if d.Tests, err = a.Editions.TestSends(ctx, currentUser(c).Name, testSendsListed); err != nil {
		a.failErr(c, err)
		return
	}
	status := http.StatusOK
	if serr != nil {
		p.Error, status, asked = errorText(lang, serr), http.StatusUnprocessableEntity, false
	}
	if asked {
		// Checked here too, so a mistake shows on the page, not in the frame.
		f, err := a.Editions.SampleFilter(ctx, s)
		if err != nil {
			p.Error = sampleProblem(lang, s, err)
			status = statusOf(errs.KindOf(err))
		} else {
			d.Hidden = sampleQuery(s, f)
			d.Frame = "/admin/editions/preview.html?" + d.Hidden.Encode()
			d.SendKey = token.New()
			if s.Email != "" {
				// The subscriber's own choices fill the filter, so the
				// form says what the frame shows, not the empty choices
				// and the first language it had.
				d.Sample.Filter = f
			}
		}
	}
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		a.failErr(c, err)
		return
	}
	if d.Choices, err = a.previewChoicesOf(c, lang, tax, d.Sample); err != nil {
		a.failErr(c, err)
		return
	}
	p.Data = d
	a.render(c, status, "editions_preview", p)
}

// sampleProblem says what is wrong with a sample whose filter could not
// be resolved. An address no subscriber has is said in a sentence of the
// console's own, with the address as the editor typed it; the lookup's
// words ("subscriber … not found") are storage's.
func sampleProblem(lang string, s editions.Sample, err error) string {
	if errs.Is(err, errs.NotFound) && s.Email != "" {
		return tf(lang, "editions_preview_no_subscriber", strings.TrimSpace(s.Email))
	}
	return errorText(lang, err)
}

// sampleQuery is a sample as query parameters: the subscriber's address
// when one was given (so the frame shows what they would get however
// their choices change), else the checked filter.
func sampleQuery(s editions.Sample, f domain.Filter) url.Values {
	q := url.Values{}
	if s.EditionID != 0 {
		q.Set("edition", strconv.FormatInt(s.EditionID, 10))
	}
	if s.Email != "" {
		q.Set("email", s.Email)
		return q
	}
	if f.All {
		q.Set("all", "1")
	}
	q["countries"] = f.Countries
	q["topics"] = f.Topics
	q.Set("language", f.Language)
	q.Set("mode", f.Mode)
	return q
}

// previewFramePolicy lets the digest's inline styles and images show, and
// lets only the console frame it (the console's own policy forbids
// framing altogether); the frame is sandboxed as well.
const previewFramePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-ancestors 'self'"

// editionsPreviewFrame serves the digest HTML for the preview's frame.
func (a *Console) editionsPreviewFrame(c *gin.Context) {
	lang := pageLang(c)
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", previewFramePolicy)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
	s, _, err := a.readPreviewSample(c, c.Query, c.QueryArray)
	if err == nil && s.Email != "" && !a.allowed(c, roleSubscribers) {
		return
	}
	if err == nil {
		msgOut, perr := a.Editions.PreviewSample(c.Request.Context(), s)
		if perr == nil {
			c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(msgOut.HTML))
			return
		}
		err = perr
	}
	status := statusOf(errs.KindOf(err))
	text := errorText(lang, err)
	if status >= 500 {
		a.Log.Error("preview digest", "err", err)
		text = msg(lang, "internal")
	}
	c.Data(status, "text/html; charset=utf-8", []byte(`<!doctype html><html lang="`+lang+`"><meta charset="utf-8"><title>`+
		template.HTMLEscapeString(msg(lang, "editions_preview_title"))+`</title><p>`+template.HTMLEscapeString(text)+`</p></html>`))
}

// editionsTestSend queues the previewed digest to an address the editor
// typed; the worker sends it.
func (a *Console) editionsTestSend(c *gin.Context) {
	s, _, err := a.readPreviewSample(c, c.PostForm, c.PostFormArray)
	if err != nil {
		a.failErr(c, err)
		return
	}
	if s.Email != "" && !a.allowed(c, roleSubscribers) {
		return
	}
	f, err := a.Editions.SampleFilter(c.Request.Context(), s)
	if errs.Is(err, errs.NotFound) && s.Email != "" {
		a.fail(c, http.StatusNotFound, sampleProblem(pageLang(c), s, err))
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	if err := a.Editions.TestSend(c.Request.Context(), currentUser(c).Name, s, c.PostForm("to"), c.PostForm(testSendKey)); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editions/preview?"+sampleQuery(s, f).Encode(), "edition_test_sent")
}
