package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// flashCookie carries the key of a notice ("the edition was created")
// from an action to the one page its redirect shows. The notice's key
// stays in the redirect's address too (done=…), so a page and a test can
// tell what was done, but the page shows it only while the cookie says
// so: reloading it, or opening the address again later, shows no stale
// notice. flash.js also takes the key out of the address bar.
const flashCookie = "nd_flash"

// setFlash marks that the next page may show the notice key.
func setFlash(c *gin.Context, key string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: key, Path: "/admin", MaxAge: 120,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !c.GetBool(plaintextKey)})
}

// takeFlash reports whether the request's done=key is fresh (set by the
// action that redirected here), and spends it.
func takeFlash(c *gin.Context, key string) bool {
	v, err := c.Cookie(flashCookie)
	if err != nil || v == "" {
		return false
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !c.GetBool(plaintextKey)})
	return v == key
}
