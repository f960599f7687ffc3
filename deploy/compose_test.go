// Package deploy_test checks the files that deploy newsdigest with Docker
// Compose (docker-compose.yml at the root, to try it; the production
// example here) by reading them: no Docker engine is needed.
package deploy_test

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"newsdigest/internal/config"
)

// compose is what the tests read of a compose file.
type compose struct {
	Services map[string]service `yaml:"services"`
	Secrets  map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
	Networks map[string]struct {
		IPAM struct {
			Config []struct {
				Subnet string `yaml:"subnet"`
			} `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
	Volumes map[string]any `yaml:"volumes"`
}

type service struct {
	Image       string            `yaml:"image"`
	Command     []string          `yaml:"command"`
	Restart     string            `yaml:"restart"`
	Profiles    []string          `yaml:"profiles"`
	Ports       []string          `yaml:"ports"`
	Environment map[string]string `yaml:"environment"`
	Secrets     []string          `yaml:"secrets"`
	Volumes     []string          `yaml:"volumes"`
	Networks    any               `yaml:"networks"` // a list, or a map with addresses
	DependsOn   map[string]any    `yaml:"depends_on"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	Deploy struct {
		Resources struct {
			Limits struct {
				Memory string `yaml:"memory"`
			} `yaml:"limits"`
		} `yaml:"resources"`
	} `yaml:"deploy"`
	StopGracePeriod string `yaml:"stop_grace_period"`
}

// oneOff reports whether the service runs once and exits (the migrations).
func (s service) oneOff() bool { return s.Restart == "no" }

func readCompose(t *testing.T, path string) compose {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	// A service may override a key it takes from x-app (<<: *app).
	if err := yaml.UnmarshalWithOptions(raw, &c, yaml.AllowDuplicateMapKey()); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(c.Services) == 0 {
		t.Fatalf("%s: no services", path)
	}
	return c
}

var composeFiles = []string{"../docker-compose.yml", "docker-compose.production.yml"}

// TestComposeServicesAreLookedAfter: in both compose files every service
// that keeps running restarts by itself, says whether it is healthy and
// has a memory limit (one that leaks or a burst cannot take the host's
// memory from PostgreSQL); only the migrations run once.
func TestComposeServicesAreLookedAfter(t *testing.T) {
	for _, file := range composeFiles {
		c := readCompose(t, file)
		for name, s := range c.Services {
			where := file + ": " + name
			if s.oneOff() {
				if !slices.Equal(s.Command, []string{"web", "migrate"}) {
					t.Errorf("%s: restart no, but it is not the migrations (command %v)", where, s.Command)
				}
			} else {
				if s.Restart != "unless-stopped" && s.Restart != "always" {
					t.Errorf("%s: restart %q, want unless-stopped or always", where, s.Restart)
				}
				if s.Healthcheck == nil || len(s.Healthcheck.Test) < 2 {
					t.Errorf("%s: no health check", where)
				}
			}
			if memoryBytes(t, where, s.Deploy.Resources.Limits.Memory) == 0 {
				t.Errorf("%s: no memory limit (deploy.resources.limits.memory)", where)
			}
		}
		for _, name := range []string{"postgres", "redis", "web", "worker", "migrate"} {
			if _, ok := c.Services[name]; !ok {
				t.Errorf("%s: no %s service", file, name)
			}
		}
	}
}

// TestComposeKeepsTheQueue: Redis keeps the tasks in flight across a
// restart (append-only file on a volume) and never evicts one to make
// room; a worker is given more time to stop than Docker's default 10s,
// in which it could not finish the messages it is sending.
func TestComposeKeepsTheQueue(t *testing.T) {
	for _, file := range composeFiles {
		c := readCompose(t, file)
		redis := c.Services["redis"]
		cmd := strings.Join(redis.Command, " ")
		for _, want := range []string{"--appendonly yes", "--maxmemory-policy noeviction"} {
			if !strings.Contains(cmd, want) {
				t.Errorf("%s: redis command %q lacks %s", file, cmd, want)
			}
		}
		if !slices.ContainsFunc(redis.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/data") }) {
			t.Errorf("%s: redis keeps /data on no volume: %v", file, redis.Volumes)
		}
		grace, err := time.ParseDuration(c.Services["worker"].StopGracePeriod)
		if err != nil || grace <= 10*time.Second {
			t.Errorf("%s: worker stop_grace_period %q, want more than Docker's default 10s", file, c.Services["worker"].StopGracePeriod)
		}
	}
}

// TestComposeDevProfileStaysOnLoopback: what only the dev profile runs
// (Mailpit, which shows every mail to anyone who opens it) is published
// on loopback only, and nothing in the default stack needs it.
func TestComposeDevProfileStaysOnLoopback(t *testing.T) {
	c := readCompose(t, "../docker-compose.yml")
	if !slices.Equal(c.Services["mailpit"].Profiles, []string{"dev"}) {
		t.Errorf("mailpit profiles = %v, want [dev]", c.Services["mailpit"].Profiles)
	}
	for name, s := range c.Services {
		if !slices.Contains(s.Profiles, "dev") {
			if _, needs := s.DependsOn["mailpit"]; needs {
				t.Errorf("%s, in the default stack, depends on mailpit", name)
			}
			continue
		}
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s (dev profile) publishes %q beyond loopback", name, p)
			}
		}
	}
	if p := c.Services["postgres"].Ports; len(p) > 0 {
		t.Errorf("postgres is published: %v", p)
	}
	if p := c.Services["redis"].Ports; len(p) > 0 {
		t.Errorf("redis is published: %v", p)
	}
}

var memoryLimit = regexp.MustCompile(`^(\d+)([kmg]?)b?$`)

// memoryBytes reads a compose memory size such as 512m; 0 when unset.
func memoryBytes(t *testing.T, where, v string) int64 {
	t.Helper()
	if v == "" {
		return 0
	}
	m := memoryLimit.FindStringSubmatch(strings.ToLower(v))
	if m == nil {
		t.Errorf("%s: memory limit %q is not a size such as 512m", where, v)
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n << map[string]int{"": 0, "k": 10, "m": 20, "g": 30}[m[2]]
}

// mailCatcherURL is an SMTP_URL naming the dev profile's Mailpit.
var mailCatcherURL = regexp.MustCompile(`SMTP_URL=(smtp://mailpit:[^\s` + "`" + `]+)`)

// TestMailCatcherRecipeSendsInPlain: every place that tells how to try
// the compose file with its Mailpit gives an SMTP_URL the programs send
// through in plain: Mailpit offers no STARTTLS, and a relay whose host
// is not loopback is held to it unless the URL says tls=none.
func TestMailCatcherRecipeSendsInPlain(t *testing.T) {
	found := 0
	for _, file := range []string{"../README.md", "../docker-compose.yml", "../.env.example"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mailCatcherURL.FindAllStringSubmatch(string(raw), -1) {
			found++
			env := map[string]string{"DATABASE_URL": "postgres://unused", "SECRET_KEY": "3f0c9a5e7b1d4c2a8e6f0b9d7c5a3e1f", "SMTP_URL": m[1]}
			cfg, err := config.Load(func(k string) string { return env[k] })
			if err != nil {
				t.Errorf("%s: %s: %v", file, m[1], err)
				continue
			}
			if cfg.SMTP.TLS != "none" {
				t.Errorf("%s gives %s, which asks Mailpit for TLS (%s) it does not offer: no mail would leave", file, m[1], cfg.SMTP.TLS)
			}
		}
	}
	if found < 3 {
		t.Errorf("found %d Mailpit SMTP_URLs in the README, the compose file and .env.example, want one in each at least", found)
	}
}
