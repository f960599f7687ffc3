package admin

import (
	"cmp"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
	"newsdigest/internal/items"
)

// importFormData fills the import form: again with what was sent when
// it needs fixing.
type importFormData struct {
	Listing   string
	DateOrder string
}

// importPageData is the import page's: the form, empty or as sent.
type importPageData struct {
	Form importFormData
}

type importPreviewData struct {
	Draft   int64
	Format  string
	Preview ingest.Preview
	Rows    []previewRow
	Form    importFormData // to fix a listing and preview it again
	// Faults are the lines to fix, said in the editor's language; each
	// also shows in Rows at its place in the document.
	Faults []lineFault
}

// previewRow is an item of an import's preview with its tags named, or
// (Fault set) a line that could not be read, where it stands.
type previewRow struct {
	ingest.PreviewItem
	Tags  []tagView
	Fault *lineFault
}

// lineFault is a line of a document that could not be read.
type lineFault struct {
	Line int
	Text string
}

// faultText says a line's fault in lang when the console has words for
// it, else as the importer put it (a feed's faults, for now).
func faultText(lang string, e ingest.LineError) string {
	key := "import_err_" + e.Code
	switch {
	case e.Code == "" || !hasMsg(key):
		return e.Message
	case e.Arg == "":
		return msg(lang, key)
	default:
		return tf(lang, key, e.Arg)
	}
}

// draftGone reports whether err says an import's preview is no longer
// kept (domain.ErrDraftGone).
func draftGone(err error) bool {
	return errs.Is(err, errs.NotFound) && errs.MessageOf(err) == domain.ErrDraftGone
}

// importGone shows the import form, empty, saying the preview asked for
// is gone: the listing is to be pasted or uploaded again right there.
func (a *Console) importGone(c *gin.Context) {
	lang := pageLang(c)
	p := sectionPage(lang, "import_title", "items", importPageData{})
	p.Error = msg(lang, "import_gone")
	a.render(c, http.StatusNotFound, "items_import", p)
}

func (a *Console) importForm(c *gin.Context) {
	lang := pageLang(c)
	p := sectionPage(lang, "import_title", "items", importPageData{})
	if c.Query("done") == "imported" {
		newCount, err1 := strconv.Atoi(c.Query("new"))
		dups, err2 := strconv.Atoi(c.Query("duplicates"))
		updated, err3 := strconv.Atoi(c.Query("updated"))
		if err1 == nil && err2 == nil && err3 == nil {
			p.Flash = tf(lang, "import_done_counts", newCount, dups, updated)
		}
	}
	a.render(c, http.StatusOK, "items_import", p)
}

// importUpload keeps the pasted or uploaded document as a draft, writing
// no item, and shows its preview.
func (a *Console) importUpload(c *gin.Context) {
	lang := pageLang(c)
	form := importFormData{Listing: c.PostForm("listing"), DateOrder: c.PostForm("date_order")}
	refuse := func(status int, problem string) {
		p := sectionPage(lang, "import_title", "items", importPageData{Form: form})
		p.Error = problem
		a.render(c, status, "items_import", p)
	}
	order, err := ingest.ParseDateOrder(form.DateOrder)
	if err != nil {
		refuse(http.StatusUnprocessableEntity, msg(lang, "import_bad_order"))
		return
	}
	body, mediaType := []byte(form.Listing), ""
	fh, err := c.FormFile("file")
	if err == nil && fh.Size == 0 && fh.Filename != "" && strings.TrimSpace(form.Listing) == "" {
		// A file was chosen and is empty: say so, not "choose a file".
		refuse(http.StatusUnprocessableEntity, tf(lang, "import_file_empty", fh.Filename))
		return
	}
	if err == nil && fh.Size > 0 {
		if strings.TrimSpace(form.Listing) != "" {
			refuse(http.StatusUnprocessableEntity, msg(lang, "import_both"))
			return
		}
		f, err := fh.Open()
		if err != nil {
			a.failErr(c, err)
			return
		}
		body, err = io.ReadAll(io.LimitReader(f, ingest.MaxListingBytes+1))
		f.Close()
		if err != nil {
			a.failErr(c, err)
			return
		}
		mediaType, _, _ = mime.ParseMediaType(fh.Header.Get("Content-Type"))
	}
	if strings.TrimSpace(string(body)) == "" {
		refuse(http.StatusUnprocessableEntity, msg(lang, "import_empty"))
		return
	}
	spec := items.ImportSpec{Format: items.SniffFormat(mediaType, body), DateOrder: order}
	id, err := a.Items.SaveImportDraft(c.Request.Context(), currentUser(c).Name, spec, body)
	if err != nil {
		if errs.Is(err, errs.TooLarge) {
			refuse(http.StatusRequestEntityTooLarge, tf(lang, "import_too_large", ingest.MaxListingBytes>>20))
			return
		}
		a.failErr(c, err)
		return
	}
	done(c, "/admin/items/import/"+strconv.FormatInt(id, 10), "")
}

// importPreview shows what confirming a draft would import: every item
// with its tags and whether it is new, or the lines to fix.
func (a *Console) importPreview(c *gin.Context) {
	lang := pageLang(c)
	id, ok := a.idParam(c, "draft")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	draft, err := a.Items.ImportDraft(ctx, id, currentUser(c).Name)
	if draftGone(err) {
		a.importGone(c)
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	pv, err := a.Items.PreviewImport(ctx, draft.Spec, draft.Body)
	if err != nil {
		a.failErr(c, err)
		return
	}
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		a.failErr(c, err)
		return
	}
	data := importPreviewData{Draft: id, Format: draft.Spec.Format, Preview: pv,
		Form: importFormData{DateOrder: draft.Spec.DateOrder.String()}}
	for _, it := range pv.Items {
		data.Rows = append(data.Rows, previewRow{PreviewItem: it, Tags: itemTags(tax, lang, it.Item)})
	}
	for _, e := range pv.Errors {
		f := lineFault{Line: e.Line, Text: faultText(lang, e)}
		data.Faults = append(data.Faults, f)
		data.Rows = append(data.Rows, previewRow{PreviewItem: ingest.PreviewItem{Line: e.Line}, Fault: &f})
	}
	// In the document's order, a fault before the item of its line.
	slices.SortStableFunc(data.Rows, func(a, b previewRow) int {
		if a.Line != b.Line {
			return cmp.Compare(a.Line, b.Line)
		}
		if (a.Fault != nil) != (b.Fault != nil) && a.Fault != nil {
			return -1
		}
		return 0
	})
	// A listing with errors comes back in the form, to be fixed there.
	if !pv.OK() && draft.Spec.Format == items.FormatListing && utf8.Valid(draft.Body) {
		data.Form.Listing = string(draft.Body)
	}
	a.render(c, http.StatusOK, "items_preview", sectionPage(lang, "preview_title", "items", data))
}

// importConfirm imports the draft previewed, once.
func (a *Console) importConfirm(c *gin.Context) {
	id, ok := a.idParam(c, "draft")
	if !ok {
		return
	}
	res, err := a.Items.ConfirmImport(c.Request.Context(), id, currentUser(c).Name)
	if errs.Is(err, errs.Conflict) && errs.MessageOf(err) == domain.ErrDraftTaken {
		// A second click: the first one imports the listing.
		done(c, "/admin/items/import", "import_taken")
		return
	}
	if draftGone(err) {
		a.importGone(c)
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/items/import?new="+strconv.Itoa(res.Imported)+"&duplicates="+strconv.Itoa(res.Duplicates)+
		"&updated="+strconv.Itoa(res.Updated), "imported")
}
