package admin

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
	"newsdigest/internal/subscribers"
)

// maxConsoleCSV bounds a list uploaded in the console; larger lists go
// through POST /api/v1/subscribers/import.
const maxConsoleCSV = 5 << 20

type importView struct {
	Text       string // the list, pasted or uploaded, kept when the form is shown again
	Consent    bool   // the consent box, ticked again when the form is shown again
	Problem    string // what is wrong with the form as a whole
	LineErrors []lineProblem
	Preview    *domain.ImportPreview
	Reasons    []reasonCount
	Draft      int64 // the kept upload to confirm; 0 when it cannot be
	Sample     []sampleRow
	// The size limits, in MiB, of a list here and through the API, which
	// the form's hint names.
	ConsoleMiB, APIMiB int
}

// sampleRow is one of the first rows of a list, as the import reads it:
// the columns' meaning in words, so a misread column shows before the
// import.
type sampleRow struct {
	Line                               int
	Email, Countries, Topics, Language string
	Mode                               string
}

// lineProblem is a fault of a line of a list, said in the console's
// language beside the column it is in ("" for the whole line).
type lineProblem struct {
	Line         int
	Column, Text string
}

// lineProblems says a list's line errors in lang: the column apart, as
// the file's header names it, and what is wrong with it.
func lineProblems(lang string, les []subscribers.LineError) []lineProblem {
	out := make([]lineProblem, 0, len(les))
	for _, le := range les {
		text := le.Message
		if lang != i18n.Source && le.Format != "" {
			if words, ok := errorWords(lang, le.Format, le.Args); ok {
				text = words
			}
		}
		// The message names its field before a colon, in its language;
		// the column beside it names it as the file does.
		if _, rest, found := strings.Cut(text, ":"); found && le.Column != "" {
			text = strings.TrimSpace(rest)
		}
		out = append(out, lineProblem{Line: le.Line, Column: le.Column, Text: text})
	}
	return out
}

type reasonCount struct {
	Reason string
	Count  int
}

func (a *Console) subscribersImportForm(c *gin.Context) {
	a.renderImport(c, http.StatusOK, importView{})
}

func (a *Console) renderImport(c *gin.Context, status int, v importView) {
	lang := pageLang(c)
	v.ConsoleMiB, v.APIMiB = maxConsoleCSV>>20, subscribers.MaxCSVBytes>>20
	a.render(c, status, "subscribers_import", page{Title: msg(lang, "sub_import_title"), Section: "subscribers", Data: v})
}

// subscribersImportPreview reads an uploaded or pasted list and shows
// what importing it would do, writing nothing but the kept upload.
func (a *Console) subscribersImportPreview(c *gin.Context) {
	lang := pageLang(c)
	body, err := importBody(c)
	v := importView{Text: c.PostForm("csv"), Consent: c.PostForm("consent") == "yes"}
	// The list read, pasted or uploaded, comes back in the text box to
	// be fixed there.
	if err == nil && utf8.Valid(body) {
		v.Text = string(body)
	}
	switch {
	case err != nil:
		v.Problem = tf(lang, "sub_import_too_large", maxConsoleCSV>>20)
		a.renderImport(c, http.StatusRequestEntityTooLarge, v)
		return
	case len(strings.TrimSpace(string(body))) == 0:
		v.Problem = msg(lang, "sub_import_empty")
		a.renderImport(c, http.StatusUnprocessableEntity, v)
		return
	case c.PostForm("consent") != "yes":
		v.Problem = msg(lang, "sub_import_consent_missing")
		a.renderImport(c, http.StatusUnprocessableEntity, v)
		return
	}
	draft, p, err := a.Subscribers.PreviewImport(c.Request.Context(), currentUser(c).Name, body, subscriberConsent(c))
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Kind == errs.Invalid {
			les, _ := e.Details.([]subscribers.LineError)
			v.LineErrors = lineProblems(lang, les)
			v.Problem = msg(lang, "sub_import_has_errors")
			a.renderImport(c, http.StatusUnprocessableEntity, v)
			return
		}
		a.failErr(c, err)
		return
	}
	v.Preview, v.Draft = &p, draft
	if v.Sample, err = a.importSample(c, lang, body); err != nil {
		a.failErr(c, err)
		return
	}
	for _, r := range []string{domain.SkipRepeated, domain.SkipListed, domain.StatusPending, domain.StatusActive,
		domain.StatusUnsubscribed, domain.StatusBounced, domain.StatusSuppressed, domain.StatusComplained, domain.StatusErased} {
		if n := p.SkipReasons[r]; n > 0 {
			v.Reasons = append(v.Reasons, reasonCount{r, n})
		}
	}
	a.renderImport(c, http.StatusOK, v)
}

// importBody is the uploaded file if one was chosen, else the pasted
// text; an error if it is past maxConsoleCSV.
func importBody(c *gin.Context) ([]byte, error) {
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > maxConsoleCSV {
			return nil, errTooLarge
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(io.LimitReader(f, maxConsoleCSV))
	}
	text := c.PostForm("csv")
	if len(text) > maxConsoleCSV {
		return nil, errTooLarge
	}
	return []byte(text), nil
}

var errTooLarge = errors.New("list too large")

func (a *Console) subscribersImportConfirm(c *gin.Context) {
	draft, err := strconv.ParseInt(c.PostForm("draft"), 10, 64)
	if err != nil || draft <= 0 {
		a.fail(c, http.StatusBadRequest, msg(pageLang(c), "sub_import_no_draft"))
		return
	}
	res, err := a.Subscribers.ConfirmImport(c.Request.Context(), currentUser(c).Name, draft, subscriberConsent(c))
	if errs.Is(err, errs.Conflict) && errs.MessageOf(err) == domain.ErrDraftTaken {
		// A second click: the first one imports the list.
		done(c, "/admin/subscribers", "sub_import_taken")
		return
	}
	if draftGone(err) {
		// Shown on the form, where the list can be given again.
		a.renderImport(c, http.StatusNotFound, importView{Problem: msg(pageLang(c), "sub_import_gone")})
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/subscribers?imported="+strconv.Itoa(res.Imported)+"&skipped="+strconv.Itoa(res.Skipped), "sub_imported")
}

// subscriberConsent is the importing editor's request, recorded with each
// imported person's consent as the API records its caller's.
func subscriberConsent(c *gin.Context) domain.Consent {
	return domain.Consent{At: time.Now().UTC(), IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}

// importSampleRows is how many of a list's first rows the preview shows.
const importSampleRows = 5

// importSample reads the first rows of a list as the import will, in words.
func (a *Console) importSample(c *gin.Context, lang string, body []byte) ([]sampleRow, error) {
	ctx := c.Request.Context()
	rows, err := a.Subscribers.ImportSample(ctx, body, importSampleRows)
	if err != nil {
		return nil, err
	}
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]sampleRow, 0, len(rows))
	for _, r := range rows {
		f := r.Filter
		mode := msg(lang, "sub_mode_"+f.Mode)
		if f.All {
			mode = msg(lang, "sub_all_stories")
		}
		out = append(out, sampleRow{Line: r.Line, Email: r.Email,
			Countries: strings.Join(chosenCountries(tax, lang, f), ", "),
			Topics:    strings.Join(chosenTopics(tax, lang, f), ", "),
			Language:  languageName(lang, f.Language), Mode: mode})
	}
	return out, nil
}
