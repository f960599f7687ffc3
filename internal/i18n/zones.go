package i18n

import (
	"bufio"
	"bytes"
	"embed"
	"path"
	"strings"
	"sync"
)

//go:generate go run ./internal/zonegen -version 48.2.0

// zoneFiles are CLDR's exemplar cities of the time zones, one file per
// language (zones/<lang>.tsv), written by internal/zonegen from CLDR's
// own data: data, not code, so that a language's cities come with it.
//
//go:embed zones/*.tsv
var zoneFiles embed.FS

// zoneCities is language → IANA zone name → city, read once.
var zoneCities = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	entries, _ := zoneFiles.ReadDir("zones")
	for _, e := range entries {
		b, err := zoneFiles.ReadFile(path.Join("zones", e.Name()))
		if err != nil {
			continue
		}
		cities := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := sc.Text()
			if zone, city, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
				cities[zone] = city
			}
		}
		out[strings.TrimSuffix(e.Name(), ".tsv")] = cities
	}
	return out
})

// ZoneCity names the time zone zone (an IANA name, "Asia/Tokyo") for
// readers of lang by its city, as CLDR does: "Tokio" in Spanish,
// "Londres" in French, "Kolkata" for Asia/Calcutta. A zone CLDR gives no
// city for in lang is named from its IANA name ("America/Costa_Rica" is
// "Costa Rica"), which is CLDR's own rule.
func ZoneCity(lang, zone string) string {
	if city, ok := zoneCities()[lang][zone]; ok {
		return city
	}
	if i := strings.LastIndexByte(zone, '/'); i >= 0 {
		zone = zone[i+1:]
	}
	return strings.ReplaceAll(zone, "_", " ")
}

// hasZoneCities reports whether lang has a file of zone cities.
func hasZoneCities(lang string) bool {
	_, ok := zoneCities()[lang]
	return ok
}
