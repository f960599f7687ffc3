// Command zonegen writes the exemplar cities of the time zones, from
// CLDR, in every language of the catalogue: zones/<lang>.tsv beside the
// locales, one "IANA name<TAB>city" a line ("Asia/Tokyo	Tokio"). It
// reads the npm packages cldr-dates-full (timeZoneNames) and cldr-bcp47
// (the zones' aliases, so that a name CLDR spells the old way, such as
// Asia/Calcutta, also answers for Asia/Kolkata), installing them with
// npm into a temporary folder unless -cldr names a folder that has them.
//
// CLDR only gives a city where the name differs from the zone's own
// ("Tokyo" needs none in English); a zone without one is named from its
// IANA name, as CLDR's own fallback does, so a file holds those only.
//
//	go generate ./internal/i18n
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	version := flag.String("version", "", "the CLDR packages' npm version, such as 48.2.0")
	cldr := flag.String("cldr", "", "a folder whose node_modules has cldr-dates-full and cldr-bcp47 (default: npm installs them in a temporary one)")
	locales := flag.String("locales", "locales", "the catalogue's folder: a zones file is written for each language it has")
	out := flag.String("out", "zones", "the folder the zones files are written to")
	flag.Parse()
	if *cldr == "" {
		if *version == "" {
			log.Fatal("zonegen: -version or -cldr is required")
		}
		dir, err := os.MkdirTemp("", "zonegen")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		npm := exec.Command("npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save",
			"cldr-dates-full@"+*version, "cldr-bcp47@"+*version)
		npm.Stdout, npm.Stderr = os.Stderr, os.Stderr
		if err := npm.Run(); err != nil {
			log.Fatalf("zonegen: npm install: %v", err)
		}
		*cldr = dir
	}
	modules := filepath.Join(*cldr, "node_modules")
	aliases, err := zoneAliases(filepath.Join(modules, "cldr-bcp47", "bcp47", "timezone.json"))
	if err != nil {
		log.Fatal(err)
	}
	cldrVersion, err := packageVersion(filepath.Join(modules, "cldr-dates-full", "package.json"))
	if err != nil {
		log.Fatal(err)
	}
	langs, err := filepath.Glob(filepath.Join(*locales, "*.toml"))
	if err != nil || len(langs) == 0 {
		log.Fatalf("zonegen: no language in %s: %v", *locales, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, file := range langs {
		lang := strings.TrimSuffix(filepath.Base(file), ".toml")
		cities, err := exemplarCities(filepath.Join(modules, "cldr-dates-full", "main", lang, "timeZoneNames.json"), lang)
		if err != nil {
			log.Fatal(err)
		}
		if err := write(filepath.Join(*out, lang+".tsv"), lang, cldrVersion, byIANAName(cities, aliases)); err != nil {
			log.Fatal(err)
		}
	}
}

// zoneAliases maps each zone's CLDR name to every name it goes by: its
// aliases (the CLDR one first) and its IANA name.
func zoneAliases(path string) (map[string][]string, error) {
	var doc struct {
		Keyword struct {
			U struct {
				TZ map[string]json.RawMessage `json:"tz"`
			} `json:"u"`
		} `json:"keyword"`
	}
	if err := readJSON(path, &doc); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, raw := range doc.Keyword.U.TZ {
		var z struct {
			Alias string `json:"_alias"`
			IANA  string `json:"_iana"`
		}
		if json.Unmarshal(raw, &z) != nil || z.Alias == "" {
			continue // the key's own description, not a zone
		}
		names := strings.Fields(z.Alias)
		if z.IANA != "" && !slices.Contains(names, z.IANA) {
			names = append(names, z.IANA)
		}
		out[names[0]] = names
	}
	return out, nil
}

// exemplarCities reads the cities a locale gives, by CLDR zone name.
func exemplarCities(path, lang string) (map[string]string, error) {
	var doc struct {
		Main map[string]struct {
			Dates struct {
				TimeZoneNames struct {
					Zone map[string]any `json:"zone"`
				} `json:"timeZoneNames"`
			} `json:"dates"`
		} `json:"main"`
	}
	if err := readJSON(path, &doc); err != nil {
		return nil, err
	}
	loc, ok := doc.Main[lang]
	if !ok {
		return nil, fmt.Errorf("%s: no data for %s", path, lang)
	}
	out := map[string]string{}
	var walk func(prefix string, node map[string]any)
	walk = func(prefix string, node map[string]any) {
		for name, v := range node {
			child, ok := v.(map[string]any)
			if !ok {
				continue
			}
			if city, ok := child["exemplarCity"].(string); ok {
				out[prefix+name] = city
				continue
			}
			walk(prefix+name+"/", child)
		}
	}
	walk("", loc.Dates.TimeZoneNames.Zone)
	return out, nil
}

// byIANAName gives each city under every name its zone goes by.
func byIANAName(cities map[string]string, aliases map[string][]string) map[string]string {
	out := map[string]string{}
	for id, city := range cities {
		names := aliases[id]
		if names == nil {
			names = []string{id}
		}
		for _, n := range names {
			out[n] = city
		}
	}
	return out
}

func write(path, lang, version string, cities map[string]string) error {
	names := make([]string, 0, len(cities))
	for n := range cities {
		names = append(names, n)
	}
	slices.Sort(names)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# The cities that name time zones in %s, from CLDR %s (cldr-dates-full).\n", lang, version)
	fmt.Fprintf(w, "# Written by go generate ./internal/i18n (internal/zonegen): not to be edited.\n")
	for _, n := range names {
		fmt.Fprintf(w, "%s\t%s\n", n, cities[n])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func packageVersion(path string) (string, error) {
	var p struct {
		Version string `json:"version"`
	}
	err := readJSON(path, &p)
	return p.Version, err
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
