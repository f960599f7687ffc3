package admin

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/gin-gonic/gin"
)

// static holds the console's stylesheet and scripts: files in the repo,
// served by the app, with no build step and nothing from a CDN.
//
//go:embed static/*
var static embed.FS

type staticFile struct {
	body  []byte
	etag  string
	ctype string
}

var staticFiles = func() map[string]staticFile {
	out := map[string]staticFile{}
	entries, err := static.ReadDir("static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := static.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		out[e.Name()] = staticFile{b, `"` + hex.EncodeToString(sum[:8]) + `"`, mime.TypeByExtension(path.Ext(e.Name()))}
	}
	return out
}()

// serveStatic serves a file of static/; browsers keep it but ask each
// time whether it changed, so a new release shows at once.
func serveStatic(c *gin.Context) {
	f, ok := staticFiles[c.Param("file")]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(f.body))
}
