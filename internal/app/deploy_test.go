package app_test

import (
	"bufio"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// composeFile is what the tests read of docker-compose.yml.
type composeFile struct {
	App struct {
		Environment map[string]string `yaml:"environment"`
	} `yaml:"x-app"`
	Services map[string]struct {
		Profiles  []string       `yaml:"profiles"`
		Ports     []string       `yaml:"ports"`
		DependsOn map[string]any `yaml:"depends_on"`
	} `yaml:"services"`
}

// TestComposeKeepsMailpitOutOfTheDefaultStack: Mailpit (a mail catcher
// with no login that shows every mail, every reader's links included)
// runs only in the "dev" profile, published on loopback only; nothing in
// the default stack needs it, and the default SMTP_URL does not point at
// it, so the default stack sends nowhere until SMTP_URL is set.
func TestComposeKeepsMailpitOutOfTheDefaultStack(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	// A service may override a key it takes from x-app (<<: *app).
	if err := yaml.UnmarshalWithOptions(raw, &c, yaml.AllowDuplicateMapKey()); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	mailpit, ok := c.Services["mailpit"]
	if !ok {
		t.Fatal("docker-compose.yml has no mailpit service for development")
	}
	if !slices.Equal(mailpit.Profiles, []string{"dev"}) {
		t.Errorf("mailpit profiles = %v, want only [dev]", mailpit.Profiles)
	}
	for _, p := range mailpit.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("mailpit publishes %q beyond loopback", p)
		}
	}
	for name, svc := range c.Services {
		if _, needs := svc.DependsOn["mailpit"]; needs && !slices.Contains(svc.Profiles, "dev") {
			t.Errorf("service %s of the default stack depends on mailpit", name)
		}
	}
	if v := c.App.Environment["SMTP_URL"]; strings.Contains(v, "mailpit") || strings.Contains(v, ":-smtp") {
		t.Errorf("the default SMTP_URL is %q: the default stack must send nowhere until SMTP_URL is set", v)
	}
}

// TestEnvExampleIsSafeAsCopied: .env.example, copied to .env as the
// README says, sends no mail until SMTP_URL is set and trusts no proxy's
// X-Forwarded-For (the web port is published directly, so a trusted
// network would let anyone reaching it choose their client IP); its
// comments say when to widen TRUSTED_PROXIES and never suggest a whole
// private network.
func TestEnvExampleIsSafeAsCopied(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	values := map[string]string{}
	var comments strings.Builder
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if strings.HasPrefix(line, "#") {
			comments.WriteString(strings.TrimSpace(strings.TrimPrefix(line, "#")) + " ")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			values[k] = v
		}
	}
	if v, ok := values["SMTP_URL"]; !ok || v != "" {
		t.Errorf("SMTP_URL=%q in .env.example, want it empty (no mail until an operator names a relay)", v)
	}
	if v, ok := values["TRUSTED_PROXIES"]; !ok || v != "" {
		t.Errorf("TRUSTED_PROXIES=%q in .env.example, want it empty (no proxy trusted)", v)
	}
	text := comments.String()
	for _, sentence := range strings.Split(text, ". ") {
		for _, word := range strings.Fields(strings.NewReplacer("=", " ", ",", " ", ";", " ", "(", " ", ")", " ").Replace(sentence)) {
			p, err := netip.ParsePrefix(word)
			if err == nil && p.Addr().IsPrivate() && p.Bits() < 24 && !strings.Contains(sentence, "never") {
				t.Errorf(".env.example suggests trusting the whole network %s: %q", p, sentence)
			}
		}
	}
	if !strings.Contains(text, "TRUSTED_PROXIES=127.0.0.1/32") || !strings.Contains(text, "published directly") {
		t.Errorf(".env.example does not say when and how to widen TRUSTED_PROXIES:\n%s", text)
	}
}

// TestWebSaysAtStartThatMailGoesNowhere: without SMTP_URL the web
// process warns, in its log at start, that no mail is sent until it is set.
func TestWebSaysAtStartThatMailGoesNowhere(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil) // no SMTP_URL
	if !strings.Contains(w.logs.String(), "SMTP_URL is not set") {
		t.Errorf("the web log at start does not say that SMTP_URL is unset:\n%s", w.logs.String())
	}
}

// TestDueCheckEveryInEveryDeployment: every way of running newsdigest
// sets DUE_CHECK_EVERY for the worker (the check for readers whose own
// digest is due), to the default config.Load accepts. (The Helm chart's
// is deploy/helm's TestChartWorkersScale.)
func TestDueCheckEveryInEveryDeployment(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"../../.env.example", "../../deploy/production.env.example"} {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(strings.Split(string(raw), "\n"), "DUE_CHECK_EVERY=5m") {
			t.Errorf("%s does not set DUE_CHECK_EVERY=5m", name)
		}
	}
	for _, name := range []string{"../../docker-compose.yml", "../../deploy/docker-compose.production.yml"} {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			App struct {
				Environment map[string]string `yaml:"environment"`
			} `yaml:"x-app"`
			Services map[string]struct {
				Environment map[string]string `yaml:"environment"`
			} `yaml:"services"`
		}
		if err := yaml.UnmarshalWithOptions(raw, &c, yaml.AllowDuplicateMapKey()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		worker, ok := c.Services["worker"]
		if !ok {
			t.Fatalf("%s has no worker", name)
		}
		// The worker takes x-app's environment unless it gives its own.
		env := c.App.Environment
		if worker.Environment != nil {
			env = worker.Environment
		}
		if v := env["DUE_CHECK_EVERY"]; v != "${DUE_CHECK_EVERY:-5m}" {
			t.Errorf("%s: the worker's DUE_CHECK_EVERY is %q", name, v)
		}
	}
	raw, err := os.ReadFile("../../deploy/helm/newsdigest/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Config map[string]string `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &values); err != nil {
		t.Fatal(err)
	}
	if v := values.Config["DUE_CHECK_EVERY"]; v != "5m" {
		t.Errorf("values.yaml config DUE_CHECK_EVERY = %q, want 5m", v)
	}
}
