package web

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// storableQuery refuses (400) a query holding a NUL or bytes that are not
// UTF-8: no filter, token or choice is such text, and the database would
// refuse it with an error the client would see as a 500. The console
// makes the same check with its own pages (package admin).
func (s *Server) storableQuery(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/admin") {
		c.Next()
		return
	}
	name, bad := domain.UnstorableField(c.Request.URL.Query())
	switch {
	case !bad:
		c.Next()
	case jsonPath(c.Request.URL.Path):
		apiStatus(c, http.StatusBadRequest, string(errs.Malformed),
			fmt.Sprintf("%s: holds a NUL or bytes that are not UTF-8 text", name))
	default:
		lang := pageLang(c.Request, "")
		s.renderPageStatus(c.Writer, c.Request, http.StatusBadRequest, "error", pageData{Lang: lang, Message: msg(lang, "not_found")})
		c.Abort()
	}
}

// unstorableJSON names the first string of a decoded JSON body holding a
// NUL (which JSON may write as \u0000; encoding/json has already made
// any other bad byte a U+FFFD); "" when there is none.
func unstorableJSON(v reflect.Value, name string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return unstorableJSON(v.Elem(), name)
		}
	case reflect.String:
		if !domain.StorableText(v.String()) {
			return name
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if bad := unstorableJSON(v.Index(i), name); bad != "" {
				return bad
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if bad := unstorableJSON(it.Key(), name); bad != "" {
				return bad
			}
			if bad := unstorableJSON(it.Value(), name); bad != "" {
				return bad
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			field := name
			if n := jsonName(f); n != "" {
				field = n
				if name != "body" {
					field = name + "." + n
				}
			}
			if bad := unstorableJSON(v.Field(i), field); bad != "" {
				return bad
			}
		}
	}
	return ""
}
