package admin

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestRefererPath: the page a change came from is this site's when its
// host is BASE_URL's, even behind a proxy that gives the server another
// Host, or the request's own; another site's page is none.
func TestRefererPath(t *testing.T) {
	base, _ := url.Parse("https://news.example.org")
	for _, tc := range []struct{ host, referer, want string }{
		{"news.example.org", "https://news.example.org/admin/items/7", "/admin/items/7"},
		{"127.0.0.1:8080", "https://news.example.org/admin/items/7?x=1", "/admin/items/7?x=1"},
		{"127.0.0.1:8080", "https://News.Example.org/admin/items/7", "/admin/items/7"},
		{"127.0.0.1:8080", "http://127.0.0.1:8080/admin/items/7", "/admin/items/7"},
		{"news.example.org", "https://evil.example/admin/items/7", ""},
		{"news.example.org", "", ""},
	} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPost, "/admin/items/7", nil)
		c.Request.Host = tc.host
		if tc.referer != "" {
			c.Request.Header.Set("Referer", tc.referer)
		}
		if got := refererPath(c, base); got != tc.want {
			t.Errorf("host %s, referer %q: %q, want %q", tc.host, tc.referer, got, tc.want)
		}
	}
}
