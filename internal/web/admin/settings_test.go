package admin

import (
	"regexp"
	"strconv"
	"testing"

	"newsdigest/internal/listname"
)

// TestListNameFieldsStopWhereTheDeskDoes: every name field of the
// settings page takes as many characters as the desk keeps
// (listname.MaxLength), so the browser neither cuts a name the desk would
// take nor lets one through that the desk refuses.
func TestListNameFieldsStopWhereTheDeskDoes(t *testing.T) {
	d := settingsData{MaxLen: listname.MaxLength,
		Names: []listNameField{{Lang: "en", Field: "list_name_en"}, {Lang: "es", Field: "list_name_es"}}}
	bounds := regexp.MustCompile(`maxlength="([^"]*)"`).FindAllStringSubmatch(renderConsole(t, "settings.html", "en", d), -1)
	if len(bounds) != len(d.Names) {
		t.Fatalf("%d fields bounded, want %d", len(bounds), len(d.Names))
	}
	for _, b := range bounds {
		if b[1] != strconv.Itoa(listname.MaxLength) {
			t.Errorf("a name field takes %s characters, the desk %d", b[1], listname.MaxLength)
		}
	}
}
