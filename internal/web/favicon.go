package web

import (
	"bytes"
	_ "embed"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// favicon is the site's icon, which every page's layout links to.
//
//go:embed static/favicon.svg
var favicon []byte

// serveFavicon serves the icon; it rarely changes, so browsers may keep it
// a day.
func serveFavicon(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(favicon))
}

// faviconICO sends browsers that ask for /favicon.ico on their own (before
// reading the page's <link rel="icon">) to the SVG, rather than a 404 in
// every log.
func faviconICO(c *gin.Context) {
	c.Redirect(http.StatusMovedPermanently, "/favicon.svg")
}
