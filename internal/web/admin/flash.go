package admin

import (
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"
)

// flashCookie, with a notice's key after it ("nd_flash_edition_created"),
// carries that notice from an action to the one page its redirect shows.
// The notice's key stays in the redirect's address too (done=…), so a
// page and a test can tell what was done, but the page shows it only
// while its cookie is there: reloading it, or opening the address again
// later, shows no stale notice. flash.js also takes the key out of the
// address bar. A cookie per notice, not one for all, so that two actions
// answered at once (a double click, two tabs) each find their own
// rather than one spending or replacing the other's.
const flashCookie = "nd_flash_"

// flashKey matches the notices' keys, the only cookie names read.
var flashKey = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// setFlash marks that the next page may show the notice key.
func setFlash(c *gin.Context, key string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie + key, Value: "1", Path: "/admin", MaxAge: 120,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !c.GetBool(plaintextKey)})
}

// takeFlash reports whether the request's done=key is fresh (set by the
// action that redirected here), and spends it.
func takeFlash(c *gin.Context, key string) bool {
	if !flashKey.MatchString(key) {
		return false
	}
	if v, err := c.Cookie(flashCookie + key); err != nil || v == "" {
		return false
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie + key, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !c.GetBool(plaintextKey)})
	return true
}
