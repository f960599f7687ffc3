package admin

import (
	"net/http"
	netmail "net/mail"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
	"newsdigest/internal/listname"
)

// The settings page: what the desk sets once and every mail shows. For
// now the list's name in each language (package listname), which the
// digest's header, the From line, the mails' subjects and the public
// pages' header all take.
func (a *Console) settingsRoutes(g *gin.RouterGroup) {
	g.GET("/settings", a.settingsPage)
	g.POST("/settings", a.settingsSave)
}

// listNameField is one language's name on the settings page.
type listNameField struct {
	Lang    string // the language it names the list in
	Label   string // "Name in Spanish", "Nombre en español"
	Field   string // the form field: list_name_es
	Value   string // as set (or as sent, when the form came back)
	Default string // the name an empty field means
	From    string // the From line a mail in this language carries
	Invalid bool
}

type settingsData struct {
	Names []listNameField
	// MaxLen bounds each field as the desk does (listname.MaxLength), so
	// the browser stops where the server would refuse.
	MaxLen int
}

func listNameFieldName(lang string) string { return "list_name_" + lang }

// listNameLabel names the field of lang's name in the page's language,
// the language's name as a sentence writes it ("Nombre en español").
func listNameLabel(page, lang string) string {
	return tf(page, "settings_list_field", i18n.LanguageName(page, lang))
}

func (a *Console) settingsPage(c *gin.Context) {
	set, err := a.ListNames.Set(c.Request.Context())
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.renderSettings(c, http.StatusOK, set, nil, "")
}

// renderSettings shows the form with values (the names as set, or as
// sent); bad marks the fields a problem names.
func (a *Console) renderSettings(c *gin.Context, status int, values map[string]string, bad map[string]bool, problem string) {
	d := settingsData{MaxLen: listname.MaxLength}
	for _, lang := range domain.Languages {
		def := a.ListNames.Default(lang)
		shown := strings.TrimSpace(values[lang])
		if shown == "" {
			shown = def
		}
		from := (&netmail.Address{Name: shown, Address: a.Config.MailFrom.Address})
		d.Names = append(d.Names, listNameField{Lang: lang, Label: listNameLabel(pageLang(c), lang), Field: listNameFieldName(lang), Value: values[lang],
			Default: def, From: fromLine(from), Invalid: bad[lang]})
	}
	p := sectionPage(pageLang(c), "settings_title", "settings", d)
	p.Error = problem
	a.render(c, status, "settings", p)
}

// fromLine writes an address as a reader's mail program shows it, the
// name unencoded: Resumen de noticias <digest@example.org>.
func fromLine(a *netmail.Address) string {
	return a.Name + " <" + a.Address + ">"
}

// settingsSave saves every language's name at once. A bad one brings
// the form back with what was sent and a message naming its field, and
// nothing is saved.
func (a *Console) settingsSave(c *gin.Context) {
	lang := pageLang(c)
	sent := map[string]string{}
	bad := map[string]bool{}
	var problems []string
	for _, l := range domain.Languages {
		v, ok := c.GetPostForm(listNameFieldName(l))
		if !ok {
			continue
		}
		sent[l] = v
		field := listNameLabel(lang, l)
		switch listname.Problem(strings.TrimSpace(v)) {
		case "too_long":
			problems = append(problems, tf(lang, "settings_list_too_long", field, listname.MaxLength, utf8.RuneCountInString(strings.TrimSpace(v))))
			bad[l] = true
		case "control":
			problems = append(problems, tf(lang, "settings_list_control", field))
			bad[l] = true
		}
	}
	if len(sent) == 0 {
		problems = append(problems, msg(lang, "settings_list_none_sent"))
	}
	if len(problems) > 0 {
		a.renderSettings(c, http.StatusUnprocessableEntity, sent, bad, strings.Join(problems, " "))
		return
	}
	if err := a.ListNames.Update(c.Request.Context(), currentUser(c).Name, sent); err != nil {
		if errs.KindOf(err) == errs.Invalid {
			a.renderSettings(c, http.StatusUnprocessableEntity, sent, bad, errorText(lang, err))
			return
		}
		a.failErr(c, err)
		return
	}
	done(c, "/admin/settings", "settings_saved")
}
