package admin

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/items"
	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
)

// suggestionsPerPage is how many suggestions the page lists; "accept all"
// takes every one, listed or not.
const suggestionsPerPage = 100

func (a *Console) taggingRoutes(g *gin.RouterGroup) {
	g.GET("/tagging", a.taggingQuality)
	g.GET("/tagging/suggestions", a.tagSuggestions)
	g.POST("/tagging/suggestions/accept-all", a.tagSuggestionsAcceptAll)
	g.POST("/tagging/suggestions/:id/accept", a.tagSuggestionAccept)
	g.POST("/tagging/suggestions/:id/keep", a.tagSuggestionKeep)
}

// topicRow is one topic of the quality table.
type topicRow struct {
	domain.TopicCorrections
	Name    string
	Percent string // the share of stories changed, "—" when none had it
}

type taggingData struct {
	Model *domain.TagModelInfo
	// Unreadable says that this process could not read the newest stored
	// model, why, and what it tags with instead.
	Unreadable  *tagging.ModelProblem
	ModelKB     int
	Suggestions int
	WindowDays  int
	Topics      []topicRow
	// Habits are what the desk's corrections show, in the page's
	// language, the most shown first (up to habitsShown); MoreHabits
	// counts those left out.
	Habits     []habitView
	MoreHabits int
}

// habitView is one of the desk's habits: its topic's name and what the
// corrections show, as a change's reason says it.
type habitView struct {
	Topic, Name, Words string
}

// habitsShown bounds the habits the page lists: the most shown, which
// are those a desk recognises as its own.
const habitsShown = 25

// Capped says that the model learnt from as many of the desk's corrections
// as a retraining takes (the newest), not from all.
func (d taggingData) Capped() bool {
	return d.Model != nil && d.Model.DeskExamples >= tagging.MaxDeskExamples
}

func (a *Console) taggingQuality(c *gin.Context) {
	lang := pageLang(c)
	ctx := c.Request.Context()
	q, err := a.Items.TaggingQuality(ctx, time.Now())
	if err != nil {
		a.failErr(c, err)
		return
	}
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		a.failErr(c, err)
		return
	}
	data := taggingData{Model: q.Model, Unreadable: q.ModelProblem, Suggestions: q.Suggestions, WindowDays: int(items.QualityWindow / (24 * time.Hour))}
	if q.Model != nil {
		data.ModelKB = (q.Model.Bytes + 1023) / 1024
	}
	for _, t := range q.Topics {
		row := topicRow{TopicCorrections: t, Name: topicName(tax, lang, t.Topic), Percent: "—"}
		if t.Tagged+t.Added > 0 {
			row.Percent = percentText(lang, t.Share(), 0)
		}
		data.Topics = append(data.Topics, row)
	}
	sortTopics(lang, data.Topics)
	for i, h := range q.Habits {
		if i == habitsShown {
			data.MoreHabits = len(q.Habits) - i
			break
		}
		data.Habits = append(data.Habits, habitView{Topic: h.Topic, Name: topicName(tax, lang, h.Topic), Words: deskReasonText(lang, h.DeskReason)})
	}
	a.render(c, http.StatusOK, "tagging", sectionPage(lang, "tagging_title", "tagging", data))
}

// sortTopics keeps the most changed topics first, as the desk service
// lists them, and puts topics changed as often in the order of their
// names in lang: the service breaks ties by slug, English's order, which
// in another language looks unsorted.
func sortTopics(lang string, rows []topicRow) {
	byName := taxonomy.Compare(lang)
	slices.SortStableFunc(rows, func(a, b topicRow) int {
		if d := cmp.Compare(b.Share(), a.Share()); d != 0 {
			return d
		}
		return byName(a.Name, b.Name)
	})
}

// changeView is one change of a suggestion as the page shows it.
type changeView struct {
	Add              bool
	Kind, Code, Name string
	Why              string
}

// suggestionView is one suggestion as the page shows it.
type suggestionView struct {
	Item    domain.Item
	Shown   string    // what it proposes, as its forms carry it (TagSuggestion.Shown)
	Tags    []tagView // the story's tags now
	Changes []changeView
}

type suggestionsData struct {
	List  []suggestionView
	Total int
}

func (a *Console) tagSuggestions(c *gin.Context) {
	lang := pageLang(c)
	ctx := c.Request.Context()
	list, total, err := a.Items.TagSuggestions(ctx, suggestionsPerPage)
	if err != nil {
		a.failErr(c, err)
		return
	}
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		a.failErr(c, err)
		return
	}
	data := suggestionsData{Total: total}
	for _, s := range list {
		data.List = append(data.List, viewSuggestion(tax, lang, s))
	}
	p := sectionPage(lang, "suggestions_title", "tagging", data)
	if c.Query("done") == "all_accepted" {
		accepted, err1 := strconv.Atoi(c.Query("accepted"))
		withdrawn, err2 := strconv.Atoi(c.Query("withdrawn"))
		if err1 == nil && err2 == nil {
			p.Flash = tf(lang, "suggestions_all_counts", accepted, withdrawn)
		}
		if changed, err := strconv.Atoi(c.Query("changed")); err == nil && changed > 0 && p.Flash != "" {
			p.Flash += " " + tn(lang, "suggestions_all_changed", changed)
		}
	}
	a.render(c, http.StatusOK, "tagging_suggestions", p)
}

// viewSuggestion names a suggestion's tags and changes in lang.
func viewSuggestion(tax *taxonomy.Taxonomy, lang string, s domain.TagSuggestion) suggestionView {
	v := suggestionView{Item: s.Item, Shown: s.Shown(), Tags: itemTags(tax, lang, s.Item)}
	for _, ch := range s.Changes {
		cv := changeView{Add: ch.Add, Kind: ch.Kind, Code: ch.Code, Why: ch.Why}
		switch ch.Kind {
		case domain.FieldCountries:
			cv.Name = countryName(tax, lang, ch.Code)
		case domain.FieldRegions:
			cv.Name = regionName(tax, lang, ch.Code)
		default:
			cv.Name = topicName(tax, lang, ch.Code)
		}
		if cv.Why == "" {
			cv.Why = msg(lang, "suggestion_not_found_now")
		}
		v.Changes = append(v.Changes, cv)
	}
	return v
}

// suggestionBack is where an action on a suggestion returns: the story's
// page when it was taken there, else the list.
func suggestionBack(c *gin.Context, id int64) string {
	if c.PostForm("back") == "item" {
		return "/admin/items/" + strconv.FormatInt(id, 10)
	}
	return "/admin/tagging/suggestions"
}

func (a *Console) tagSuggestionAccept(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	_, err := a.Items.AcceptTagSuggestion(c.Request.Context(), currentUser(c).Name, id, c.PostForm("shown"))
	switch {
	case errors.Is(err, domain.ErrSuggestionChanged):
		done(c, suggestionBack(c, id), "suggestion_changed")
	case errs.Is(err, errs.Conflict):
		done(c, suggestionBack(c, id), "suggestion_withdrawn")
	case errs.Is(err, errs.NotFound):
		done(c, suggestionBack(c, id), "suggestion_gone")
	case err != nil:
		a.failErr(c, err)
	default:
		done(c, suggestionBack(c, id), "suggestion_accepted")
	}
}

func (a *Console) tagSuggestionKeep(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	_, err := a.Items.KeepTags(c.Request.Context(), currentUser(c).Name, id, c.PostForm("shown"))
	switch {
	case errors.Is(err, domain.ErrSuggestionChanged):
		done(c, suggestionBack(c, id), "suggestion_changed")
	case errs.Is(err, errs.Conflict):
		done(c, suggestionBack(c, id), "suggestion_withdrawn")
	case errs.Is(err, errs.NotFound):
		done(c, suggestionBack(c, id), "suggestion_gone")
	case err != nil:
		a.failErr(c, err)
	default:
		done(c, suggestionBack(c, id), "suggestion_kept")
	}
}

func (a *Console) tagSuggestionsAcceptAll(c *gin.Context) {
	// What the page showed of each suggestion it listed ("id=shown").
	shown := map[int64]string{}
	for _, v := range c.PostFormArray("shown") {
		id, saw, _ := strings.Cut(v, "=")
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			shown[n] = saw
		}
	}
	r, err := a.Items.AcceptAllTagSuggestions(c.Request.Context(), currentUser(c).Name, shown)
	if err != nil {
		a.failErr(c, err)
		return
	}
	u := "/admin/tagging/suggestions?accepted=" + strconv.Itoa(r.Accepted) + "&withdrawn=" + strconv.Itoa(r.Withdrawn) +
		"&changed=" + strconv.Itoa(r.Changed)
	done(c, u, "all_accepted")
}
