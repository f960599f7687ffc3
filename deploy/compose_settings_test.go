package deploy_test

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

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
