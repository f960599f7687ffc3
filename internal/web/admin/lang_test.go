package admin

import (
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestConsoleLangFollowsTheBrowsersWeights: with no ?lang= and no
// cookie, the console speaks the language the browser weighs highest,
// not the first it lists.
func TestConsoleLangFollowsTheBrowsersWeights(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for accept, want := range map[string]string{
		"en;q=0.2, fr-HT;q=0.9": "fr",
		"en-US,en;q=0.9":        "en",
		"de, es;q=0.3":          "es",
		"fr;q=0":                "en",
	} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest("GET", "/admin/login", nil)
		c.Request.Header.Set("Accept-Language", accept)
		if got := pageLang(c); got != want {
			t.Errorf("Accept-Language %q: the console speaks %s, want %s", accept, got, want)
		}
	}
}
