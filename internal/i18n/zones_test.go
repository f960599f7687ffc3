package i18n

import (
	"io/fs"
	"strings"
	"testing"
)

func TestZoneCityIsTheReadersLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, zone, want string }{
		{"es", "Asia/Tokyo", "Tokio"},
		{"en", "Asia/Tokyo", "Tokyo"},
		{"fr", "Asia/Tokyo", "Tokyo"},
		{"es", "America/Mexico_City", "Ciudad de México"},
		{"fr", "America/Mexico_City", "Mexico"},
		{"en", "America/Mexico_City", "Mexico City"},
		{"fr", "Europe/London", "Londres"},
		{"es", "America/Havana", "La Habana"},
		{"fr", "America/Havana", "La Havane"},
		{"es", "America/Port-au-Prince", "Puerto Príncipe"},
		// The IANA name of today and CLDR's older one both answer.
		{"en", "Asia/Kolkata", "Kolkata"},
		{"en", "Asia/Calcutta", "Kolkata"},
		{"es", "America/Argentina/Buenos_Aires", "Buenos Aires"},
		// No CLDR city: the city of the IANA name.
		{"en", "America/Costa_Rica", "Costa Rica"},
		{"es", "America/Santo_Domingo", "Santo Domingo"},
		{"es", "Nowhere/Some_Place", "Some Place"},
		{"pt", "Asia/Tokyo", "Tokyo"},
	} {
		if got := ZoneCity(tc.lang, tc.zone); got != tc.want {
			t.Errorf("ZoneCity(%s, %s) = %q, want %q", tc.lang, tc.zone, got, tc.want)
		}
	}
}

// TestEveryLanguageHasZoneCities: a language of the catalogue has its
// zone cities (go generate ./internal/i18n writes them for each), each
// line a zone and a city.
func TestEveryLanguageHasZoneCities(t *testing.T) {
	for _, lang := range Languages() {
		if !hasZoneCities(lang) {
			t.Errorf("zones/%s.tsv is missing: run go generate ./internal/i18n", lang)
		}
	}
	err := fs.WalkDir(zoneFiles, "zones", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := zoneFiles.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			if strings.HasPrefix(line, "#") {
				continue
			}
			zone, city, ok := strings.Cut(line, "\t")
			if !ok || zone == "" || strings.ContainsAny(zone, " ") || city == "" || strings.Contains(city, "\t") {
				t.Errorf("%s:%d: %q is not a zone and its city", path, i+1, line)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
