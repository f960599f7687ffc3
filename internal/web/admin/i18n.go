package admin

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// msg returns a console string in lang, from the [console] section of
// the catalogue (internal/i18n/locales), falling back to English.
func msg(lang, key string) string {
	return i18n.Text(lang, "console."+key)
}

func hasMsg(key string) bool {
	return i18n.Exists("console." + key)
}

// tf formats a console string.
func tf(lang, key string, args ...any) string {
	return fmt.Sprintf(msg(lang, key), args...)
}

// tn formats the form of a counted console string for n in lang: "1
// person", "2 people".
func tn(lang, key string, n int) string {
	return i18n.Plural(lang, "console."+key, n)
}

// languageName names a language in lang as a label does: "Spanish",
// "Español" in Spanish, "Espagnol" in French.
func languageName(lang, code string) string {
	return i18n.Capitalise(i18n.LanguageName(lang, code))
}

const langCookie = "nd_admin_lang"

// plaintextKey marks, in a console request's context, that BASE_URL is
// plain http, so cookies go without Secure (console.go sets it).
const plaintextKey = "admin.plaintext"

// pageLang picks the console's language: ?lang= (remembered in a cookie),
// else the cookie, else the browser's preference (by its q values), else
// English. The
// cookie is Secure unless BASE_URL is plain http, like every other
// cookie: never by what the client says (X-Forwarded-Proto), which anyone
// can send.
func pageLang(c *gin.Context) string {
	if l := c.Query("lang"); domain.IsLanguage(l) {
		if v, _ := c.Cookie(langCookie); v != l {
			http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: l, Path: "/admin",
				MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
				Secure: !c.GetBool(plaintextKey)})
		}
		return l
	}
	if l, err := c.Cookie(langCookie); err == nil && domain.IsLanguage(l) {
		return l
	}
	if l, ok := i18n.Preferred(c.GetHeader("Accept-Language")); ok {
		return l
	}
	return "en"
}
