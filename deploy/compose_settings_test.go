package deploy_test

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"newsdigest/internal/config"
)

// composeVariable is a ${NAME}, ${NAME:-default} or ${NAME:?message} in a
// compose file: m[1] is the name, m[3] the default after ":-".
var composeVariable = regexp.MustCompile(`\$\{([A-Z_][A-Z0-9_]*)(:?[-?](.*?))?\}`)

// TestComposePassesEverySettingOfItsEnvFile: a setting written in the
// example .env reaches the programs. Compose reads .env only to fill in
// ${NAME} in the file, so a name the file never mentions is set by the
// operator and silently ignored.
func TestComposePassesEverySettingOfItsEnvFile(t *testing.T) {
	for _, tc := range []struct{ compose, env string }{
		{"../docker-compose.yml", "../.env.example"},
		{"docker-compose.production.yml", "production.env.example"},
	} {
		raw, err := os.ReadFile(tc.compose)
		if err != nil {
			t.Fatal(err)
		}
		used := map[string]bool{}
		for _, m := range composeVariable.FindAllStringSubmatch(string(raw), -1) {
			used[m[1]] = true
		}
		for _, name := range envFileNames(t, tc.env) {
			if !used[name] {
				t.Errorf("%s sets %s, which %s never passes on: the programs would not see it", tc.env, name, tc.compose)
			}
		}
	}
}

// envFileNames are the names an env file sets, commented or not.
func envFileNames(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	setting := regexp.MustCompile(`^([A-Z][A-Z0-9_]*)=`)
	var names []string
	for s := bufio.NewScanner(f); s.Scan(); {
		if m := setting.FindStringSubmatch(strings.TrimSpace(s.Text())); m != nil {
			names = append(names, m[1])
		}
	}
	return names
}

// TestComposeGivesTheProgramsTimeToStop: Docker kills a container
// stop_grace_period after SIGTERM. Web needs SHUTDOWN_DRAIN_DELAY (its
// /readyz failing while it still serves) and then SHUTDOWN_TIMEOUT (the
// requests in flight); a worker SHUTDOWN_TIMEOUT (the sends in flight).
// Killed sooner, web drops requests and a worker cuts a send off, maybe
// after the relay took the message.
func TestComposeGivesTheProgramsTimeToStop(t *testing.T) {
	for _, file := range composeFiles {
		c := readCompose(t, file)
		for name, needs := range map[string]func(env map[string]string) time.Duration{
			"web": func(env map[string]string) time.Duration {
				return setting(t, env, "SHUTDOWN_DRAIN_DELAY", config.DefaultShutdownDrainDelay) +
					setting(t, env, "SHUTDOWN_TIMEOUT", config.DefaultShutdownTimeout)
			},
			"worker": func(env map[string]string) time.Duration {
				return setting(t, env, "SHUTDOWN_TIMEOUT", config.DefaultShutdownTimeout)
			},
		} {
			s := c.Services[name]
			grace, err := time.ParseDuration(s.StopGracePeriod)
			if err != nil {
				t.Errorf("%s: %s stop_grace_period %q: %v", file, name, s.StopGracePeriod, err)
				continue
			}
			if need := needs(s.Environment); grace <= need {
				t.Errorf("%s: %s stop_grace_period %s, want more than the %s it may take to stop", file, name, grace, need)
			}
		}
	}
}

// setting is the duration a service's environment gives name (its
// ${NAME:-default}'s default), else the program's own default.
func setting(t *testing.T, env map[string]string, name string, def time.Duration) time.Duration {
	t.Helper()
	v, ok := env[name]
	if !ok {
		return def
	}
	if m := composeVariable.FindStringSubmatch(v); m != nil {
		v = m[3]
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return d
}

// TestComposePassesEverySettingItDoesNotName: any variable of the
// README's configuration table that an operator writes in the .env beside
// a compose file (LOG_FORMAT=json, CLICK_COUNTING=off, BOUNCE_DOMAIN=…)
// reaches web, the workers and the migrations, not only those the file
// names in its environment: compose reads .env only to fill in ${NAME},
// so without env_file the others would be dropped without a word.
func TestComposePassesEverySettingItDoesNotName(t *testing.T) {
	names := readmeSettings(t)
	for _, file := range composeFiles {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Services map[string]struct {
				Environment map[string]string `yaml:"environment"`
				EnvFile     any               `yaml:"env_file"`
			} `yaml:"services"`
		}
		if err := yaml.UnmarshalWithOptions(raw, &c, yaml.AllowDuplicateMapKey()); err != nil {
			t.Fatal(err)
		}
		for _, name := range appServices {
			s := c.Services[name]
			if envFiles(s.EnvFile)[".env"] {
				continue
			}
			var dropped []string
			for _, n := range names {
				if _, ok := s.Environment[n]; !ok {
					if _, ok := s.Environment[n+"_FILE"]; !ok {
						dropped = append(dropped, n)
					}
				}
			}
			if len(dropped) > 0 {
				t.Errorf("%s: %s reads no env_file .env, so %s written there would not reach it", file, name, strings.Join(dropped, ", "))
			}
		}
	}
}

// envFiles are the paths an env_file entry names: a string, a list of
// strings, or a list of {path, required}.
func envFiles(v any) map[string]bool {
	out := map[string]bool{}
	var add func(any)
	add = func(v any) {
		switch v := v.(type) {
		case string:
			out[strings.TrimPrefix(v, "./")] = true
		case []any:
			for _, e := range v {
				add(e)
			}
		case map[string]any:
			add(v["path"])
		}
	}
	add(v)
	return out
}

// readmeSettings are the variables the README's configuration table
// names in its first column.
func readmeSettings(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, "\n## Configuration")
	if start < 0 {
		t.Fatal("README.md: no Configuration section")
	}
	end := strings.Index(doc[start+1:], "\n## ")
	if end < 0 {
		end = len(doc) - start - 1
	}
	var names []string
	name := regexp.MustCompile("`([A-Z][A-Z0-9_]+)`")
	for _, line := range strings.Split(doc[start:start+1+end], "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "| "), " |")
		for _, m := range name.FindAllStringSubmatch(first, -1) {
			if !strings.HasSuffix(m[1], "_FILE") || m[1] == "DKIM_PRIVATE_KEY_FILE" {
				names = append(names, m[1])
			}
		}
	}
	if len(names) < 20 {
		t.Fatalf("README.md: read only %v from the configuration table", names)
	}
	return names
}
