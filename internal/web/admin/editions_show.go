package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
)

// failedShown bounds the failures an edition's page lists; the count
// above the table says how many there are.
const failedShown = 200

// progressRefresh is how often, in seconds, the page of an unfinished
// edition reloads when scripts are off; with scripts, progress.js polls.
const progressRefresh = 3

type editionShowData struct {
	P          editions.Progress
	StatusText string
	TimeLeft   string
	WindowText string
	// Failures are the failed deliveries by how they failed, in the order
	// temporary, permanent, uncertain; a way none failed in is left out.
	Failures []failureList
	Skipped  []skipReason
	// Retryable counts the temporarily failed: the only ones a retry sends.
	Retryable int
	// CanCancel: queued, compiling or sending, and not cancelled already.
	CanCancel bool
	CanRetry  bool
	// Reports are the deliveries a bounce or complaint came back about
	// after they left (only for those who manage subscribers).
	Reports []domain.DeliveryReport
	// PauseLimit is the limit a paused edition passed, in words.
	PauseLimit string
}

// failureList is the failed deliveries of one kind (domain.Failure…), the
// first failedShown of them listed.
type failureList struct {
	Kind  string
	Count int
	Rows  []domain.FailedDelivery
}

// senderNotes are what the sender writes before the relay's reply of a
// failed delivery, in English; the page's headings already say it in the
// editor's language (and the attempts column how many tries), so the
// column headed "Mail server's reply" shows the reply alone.
var senderNotes = []string{"gave up after retries: ", "uncertain, not retried: "}

func serverReply(e string) string {
	for _, p := range senderNotes {
		if r, ok := strings.CutPrefix(e, p); ok {
			return r
		}
	}
	return e
}

// failureKinds orders the lists: what can be done something about first.
var failureKinds = []string{domain.FailureTemporary, domain.FailurePermanent, domain.FailureUncertain}

func (a *Console) editionShowData(c *gin.Context, id int64) (editionShowData, error) {
	ctx := c.Request.Context()
	var d editionShowData
	var err error
	if d.P, err = a.Editions.Progress(ctx, id); err != nil {
		return d, err
	}
	counts, err := a.Editions.FailureCounts(ctx, id)
	if err != nil {
		return d, err
	}
	for _, kind := range failureKinds {
		if counts[kind] == 0 {
			continue
		}
		rows, err := a.Editions.FailedDeliveries(ctx, id, kind, failedShown)
		if err != nil {
			return d, err
		}
		for i := range rows {
			rows[i].Error = serverReply(rows[i].Error)
		}
		d.Failures = append(d.Failures, failureList{Kind: kind, Count: counts[kind], Rows: rows})
	}
	d.Retryable = counts[domain.FailureTemporary]
	if d.Reports, err = a.Editions.DeliveryReports(ctx, id, failedShown); err != nil {
		return d, err
	}
	if !roleSubscribers.in(currentUser(c).Roles) {
		// Who failed, and the remote servers' words (which quote the
		// address), are for those who manage subscribers; what came
		// back, and its code, are for every editor (a block of the
		// sender is theirs to see).
		hidden := msg(pageLang(c), "editions_hidden_person")
		for _, l := range d.Failures {
			for i := range l.Rows {
				l.Rows[i].Email, l.Rows[i].Error, l.Rows[i].SubscriberID = hidden, "", 0
			}
		}
		for i := range d.Reports {
			d.Reports[i].Email, d.Reports[i].Diagnostic, d.Reports[i].SubscriberID = hidden, "", 0
		}
	}
	if p := d.P.Paused; p != nil {
		d.PauseLimit = pauseLimit(pageLang(c), a.Config.PauseLimits, p.Cause)
	}
	reasons, err := a.Editions.SkipReasons(ctx, id)
	if err != nil {
		return d, err
	}
	lang := pageLang(c)
	for _, r := range reasons {
		d.Skipped = append(d.Skipped, skipReason{r.Reason, skipReasonLabel(lang, r.Reason), r.Count})
	}
	d.StatusText = statusLabel(lang, d.P.Edition)
	d.TimeLeft = timeLeft(lang, d.P)
	d.WindowText = windowLabel(lang, a.Config.DigestTZ, d.P.Window)
	if at := d.P.SlotAt; at != nil {
		// A slot has no window of its own: each reader's is theirs.
		d.WindowText = tf(lang, "editions_window_slot", when(a.Config.DigestTZ, at))
	}
	d.CanCancel = !d.P.Finished && !d.P.Cancelled
	d.CanRetry = !d.P.Cancelled && d.Retryable > 0 && (d.P.Status == domain.EditionSending || d.P.Status == domain.EditionDone)
	return d, nil
}

// editionsShow is one edition: its live progress, what was skipped and
// why, its failures with the relay's reply, and its actions.
func (a *Console) editionsShow(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	d, err := a.editionShowData(c, id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	lang := pageLang(c)
	p := page{Title: tf(lang, "edition_name", id), Section: "editions", Data: d, Scripts: []string{"progress.js"}}
	if !d.P.Finished {
		p.Refresh = progressRefresh
	}
	a.render(c, http.StatusOK, "editions_show", p)
}

// editionsProgress is the edition's figures as JSON for progress.js:
// those of GET /api/v1/editions/{id}, with the remaining count and time,
// and the words the page shows for its status.
func (a *Console) editionsProgress(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		return
	}
	p, err := a.Editions.Progress(c.Request.Context(), id)
	if err != nil {
		status := statusOf(errs.KindOf(err))
		if status >= 500 {
			a.Log.Error("edition progress", "edition", id, "err", err)
		}
		c.JSON(status, gin.H{"error": http.StatusText(status)})
		return
	}
	lang := pageLang(c)
	c.Header("Cache-Control", "no-store")
	status := statusLabel(lang, p.Edition)
	c.JSON(http.StatusOK, gin.H{
		"progress":     p,
		"status_label": status,
		"rate_label":   tf(lang, "editions_rate_value", decimal(lang, p.Rate)),
		"time_left":    timeLeft(lang, p),
		// What screen readers are told now and then: one sentence.
		"summary": progressSummary(lang, status, p.Edition),
	})
}

// progressSummary is the sentence screen readers hear about an edition
// being sent: its status and counts, each counted in lang's forms.
func progressSummary(lang, status string, e domain.Edition) string {
	return tf(lang, "editions_progress_summary", status, tn(lang, "editions_n_sent", e.Sent),
		tn(lang, "editions_n_failed", e.Failed), tn(lang, "editions_n_skipped", e.Skipped), e.Total)
}

// skipReason is one reason deliveries were skipped, with its words.
type skipReason struct {
	Reason, Label string
	Count         int
}

// skipReasonLabel says why deliveries were skipped; a reason with no
// words of its own (older rows have none) is shown as it is stored.
func skipReasonLabel(lang, reason string) string {
	if reason == "" {
		return msg(lang, "editions_skip_unknown")
	}
	if hasMsg("editions_skip_" + reason) {
		return msg(lang, "editions_skip_"+reason)
	}
	return reason
}

// statusLabel says an edition's status in the page's language, cancelled
// and skipped ones as such.
func statusLabel(lang string, e domain.Edition) string {
	if e.SkippedLate() {
		return msg(lang, "editions_status_skipped")
	}
	if e.Cancelled() {
		if e.Status == domain.EditionDone {
			return msg(lang, "editions_status_cancelled")
		}
		return msg(lang, "editions_status_cancelling")
	}
	return msg(lang, "editions_status_"+string(e.Status))
}

// windowLabel says which items an edition holds, its times in zone.
func windowLabel(lang string, zone *time.Location, w domain.Window) string {
	if w.PublishedFrom != nil || w.PublishedTo != nil {
		from, to := "…", "…"
		if w.PublishedFrom != nil {
			from = w.PublishedFrom.String()
		}
		if w.PublishedTo != nil {
			to = w.PublishedTo.String()
		}
		return tf(lang, "editions_window_published", from, to)
	}
	if w.IngestedAfter != nil && w.IngestedUntil != nil {
		return tf(lang, "editions_window_ingested", when(zone, w.IngestedAfter), when(zone, w.IngestedUntil))
	}
	return msg(lang, "editions_window_new")
}

// timeLeft says how long the rest will take at the current rate; nothing
// once the edition is finished, and no countdown while only retries wait
// (nothing goes out until their batches are tried again).
func timeLeft(lang string, p editions.Progress) string {
	secs := p.SecondsLeft
	switch {
	case p.Finished:
		return "—"
	case p.Status == domain.EditionPaused:
		return msg(lang, "editions_time_paused")
	case p.WaitingForRetries:
		return msg(lang, "editions_time_waiting")
	case secs < 0:
		return msg(lang, "editions_time_unknown")
	case secs < 60:
		return tf(lang, "editions_time_seconds", secs)
	case secs < 3600:
		return tf(lang, "editions_time_minutes", (secs+59)/60)
	}
	return tf(lang, "editions_time_hours", secs/3600, (secs%3600+59)/60)
}

// editionsCancelConfirm says what cancelling will do before it is done.
func (a *Console) editionsCancelConfirm(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	d, err := a.editionShowData(c, id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	lang := pageLang(c)
	a.render(c, http.StatusOK, "editions_cancel", page{Title: tf(lang, "editions_cancel_title", id), Section: "editions", Data: d})
}

func (a *Console) editionsCancel(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	if _, err := a.Editions.Cancel(c.Request.Context(), currentUser(c).Name, id); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editions/"+strconv.FormatInt(id, 10), "edition_cancelled")
}

func (a *Console) editionsRetry(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	if _, err := a.Editions.Retry(c.Request.Context(), currentUser(c).Name, id); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editions/"+strconv.FormatInt(id, 10), "edition_retried")
}
