package deploy_test

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/jackc/pgx/v5/pgxpool"

	"newsdigest/internal/config"
)

// appServices are the production services that run newsdigest's image.
var appServices = []string{"migrate", "web", "worker"}

// TestProductionComposeReadsSecretsFromFiles: in the production example
// every secret reaches the programs as a file (NAME_FILE, a variable the
// programs read: config.FileVariables), never as a value in the
// environment; each file is a compose secret the service mounts.
func TestProductionComposeReadsSecretsFromFiles(t *testing.T) {
	c := readCompose(t, "docker-compose.production.yml")
	for _, name := range appServices {
		s := c.Services[name]
		for _, secret := range []string{"SECRET_KEY", "ADMIN_TOKEN", "ADMIN_PASSWORD", "DATABASE_URL", "SMTP_URL"} {
			if v, ok := s.Environment[secret]; ok {
				t.Errorf("%s: %s is given in the environment (%q), not as a file", name, secret, v)
			}
			if _, ok := s.Environment[secret+"_FILE"]; !ok {
				t.Errorf("%s: %s_FILE is not set", name, secret)
			}
		}
		for variable, path := range s.Environment {
			base, ok := strings.CutSuffix(variable, "_FILE")
			if !ok || variable == "DKIM_PRIVATE_KEY_FILE" {
				continue
			}
			if !slices.Contains(config.FileVariables, base) {
				t.Errorf("%s: %s is set, but the programs read no such variable", name, variable)
			}
			secret, ok := strings.CutPrefix(path, "/run/secrets/")
			if !ok || !slices.Contains(s.Secrets, secret) || c.Secrets[secret].File == "" {
				t.Errorf("%s: %s=%s is not a secret the service mounts from a file", name, variable, path)
			}
		}
	}
	pg := c.Services["postgres"]
	if _, ok := pg.Environment["POSTGRES_PASSWORD"]; ok {
		t.Error("postgres: POSTGRES_PASSWORD in the environment; want POSTGRES_PASSWORD_FILE")
	}
	if p := pg.Environment["POSTGRES_PASSWORD_FILE"]; !slices.Contains(pg.Secrets, strings.TrimPrefix(p, "/run/secrets/")) {
		t.Errorf("postgres: POSTGRES_PASSWORD_FILE=%q is not a secret it mounts", p)
	}
}

// TestProductionComposePublishesOnlyTheProxy: only Caddy is reachable from
// outside (and the bounce listener's SMTP port, in its own profile:
// TestProductionComposeRunsOneBounceListener); web believes
// X-Forwarded-For from Caddy's fixed address alone, and Caddy passes
// requests to web's port.
func TestProductionComposePublishesOnlyTheProxy(t *testing.T) {
	c := readCompose(t, "docker-compose.production.yml")
	for name, s := range c.Services {
		if name != "caddy" && name != "bounces" && len(s.Ports) > 0 {
			t.Errorf("%s publishes %v; only the proxy should", name, s.Ports)
		}
	}
	nets, _ := c.Services["caddy"].Networks.(map[string]any)
	front, _ := nets["front"].(map[string]any)
	addr, err := netip.ParseAddr(stringOf(front["ipv4_address"]))
	if err != nil {
		t.Fatalf("caddy has no fixed address on the front network: %v", c.Services["caddy"].Networks)
	}
	subnet, err := netip.ParsePrefix(c.Networks["front"].IPAM.Config[0].Subnet)
	if err != nil || !subnet.Contains(addr) {
		t.Errorf("caddy's address %s is not in the front network %v", addr, c.Networks["front"].IPAM.Config)
	}
	for _, name := range appServices {
		cfg := loadConfig(t, c.Services[name].Environment)
		if len(cfg.TrustedProxies) != 1 || cfg.TrustedProxies[0] != netip.PrefixFrom(addr, 32) {
			t.Errorf("%s: TRUSTED_PROXIES = %v, want caddy's %s alone", name, cfg.TrustedProxies, addr)
		}
	}
	caddyfile, err := os.ReadFile("Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	web := loadConfig(t, c.Services["web"].Environment)
	_, port, _ := strings.Cut(web.HTTPAddr, ":")
	if !strings.Contains(string(caddyfile), "reverse_proxy web:"+port) {
		t.Errorf("Caddyfile does not pass requests to web:%s", port)
	}
}

// TestProductionComposeRunsOneBounceListener: the bounce listener
// (docs/bounces.md) is a service of its own, in a profile, so that it
// runs only where an operator asks for it: a single worker (no
// replicas) with BOUNCE_SMTP_ADDR set and that port, and nothing else,
// published. Every other service of the image has BOUNCE_SMTP_ADDR
// empty, whatever deploy/.env says, so the worker replicas never listen
// where no one can reach them.
func TestProductionComposeRunsOneBounceListener(t *testing.T) {
	c := readCompose(t, "docker-compose.production.yml")
	b, ok := c.Services["bounces"]
	if !ok {
		t.Fatal("no bounces service")
	}
	if len(b.Profiles) == 0 {
		t.Error("bounces runs in the default stack; want it in a profile of its own")
	}
	if !slices.Equal(b.Command, []string{"worker"}) {
		t.Errorf("bounces command = %v, want the worker", b.Command)
	}
	if b.Image != c.Services["worker"].Image {
		t.Errorf("bounces image %q, the workers' %q", b.Image, c.Services["worker"].Image)
	}
	var replicas struct {
		Services map[string]struct {
			Deploy struct {
				Replicas any `yaml:"replicas"`
			} `yaml:"deploy"`
		} `yaml:"services"`
	}
	raw, err := os.ReadFile("docker-compose.production.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalWithOptions(raw, &replicas, yaml.AllowDuplicateMapKey()); err != nil {
		t.Fatal(err)
	}
	if r := replicas.Services["bounces"].Deploy.Replicas; r != nil {
		t.Errorf("bounces replicas = %v; want one listener", r)
	}
	addr := b.Environment["BOUNCE_SMTP_ADDR"]
	_, port, ok := strings.Cut(addr, ":")
	if !ok || port == "" {
		t.Fatalf("bounces: BOUNCE_SMTP_ADDR = %q, want :port", addr)
	}
	if len(b.Ports) != 1 || !strings.HasSuffix(b.Ports[0], ":"+port) {
		t.Errorf("bounces publishes %v, want its listener's port %s alone", b.Ports, port)
	}
	for _, secret := range []string{"SECRET_KEY_FILE", "DATABASE_URL_FILE", "SMTP_URL_FILE"} {
		if b.Environment[secret] != c.Services["worker"].Environment[secret] {
			t.Errorf("bounces: %s = %q, the workers' %q", secret, b.Environment[secret], c.Services["worker"].Environment[secret])
		}
	}
	for name, s := range c.Services {
		if name == "bounces" || s.Image != b.Image {
			continue
		}
		if v, ok := s.Environment["BOUNCE_SMTP_ADDR"]; !ok || v != "" {
			t.Errorf("%s: BOUNCE_SMTP_ADDR = %q (set: %v), want it set empty, so that deploy/.env cannot make it listen", name, v, ok)
		}
	}
	doc, err := os.ReadFile("../docs/bounces.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "--profile "+b.Profiles[0]) && !strings.Contains(string(doc), "COMPOSE_PROFILES="+b.Profiles[0]) {
		t.Errorf("docs/bounces.md does not say how to run the %s profile", b.Profiles[0])
	}
}

// TestMakeSecretsWritesWhatComposeMounts: make-secrets.sh writes every
// secret file the production compose file mounts, and the programs
// start with them.
func TestMakeSecretsWritesWhatComposeMounts(t *testing.T) {
	dir := scriptCopy(t)
	smtp := "smtp://mailer:p4ss@relay.example.org:587?tls=starttls"
	if out, err := exec.Command(filepath.Join(dir, "make-secrets.sh"), smtp).CombinedOutput(); err != nil {
		t.Fatalf("make-secrets.sh: %v\n%s", err, out)
	}
	c := readCompose(t, "docker-compose.production.yml")
	for name, s := range c.Secrets {
		path := filepath.Join(dir, filepath.FromSlash(s.File))
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Errorf("secret %s: %s not written: %v", name, s.File, err)
		}
	}
	env := map[string]string{}
	for variable, path := range c.Services["web"].Environment {
		if secret, ok := strings.CutPrefix(path, "/run/secrets/"); ok {
			env[variable] = filepath.Join(dir, filepath.FromSlash(c.Secrets[secret].File))
		}
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("web refuses the secrets make-secrets.sh wrote: %v", err)
	}
	if cfg.SMTP.Host != "relay.example.org" || cfg.AdminPassword == "" {
		t.Errorf("SMTP %+v, owner password set %v", cfg.SMTP, cfg.AdminPassword != "")
	}
	again, err := exec.Command(filepath.Join(dir, "make-secrets.sh"), smtp).CombinedOutput()
	if err != nil || strings.Contains(string(again), "written") {
		t.Errorf("a second run rewrote secrets (%v):\n%s", err, again)
	}
}

// loadConfig loads the configuration a service's environment gives,
// with stand-ins for what comes from deploy/.env and the secret files.
func loadConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		if strings.HasSuffix(k, "_FILE") {
			return ""
		}
		if k == "SECRET_KEY" {
			return "7d1f0a93c6e24b58a0f3d9e17c52b84e"
		}
		v := env[k]
		if strings.Contains(v, "${") {
			return "" // set by deploy/.env: the default is fine here
		}
		return v
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}

// TestImageLeavesSecretsOut: the image is built from the whole checkout
// (COPY . .), so the secret files, the settings and the local caches
// are kept out of the build context, or they would be in the image.
func TestImageLeavesSecretsOut(t *testing.T) {
	raw, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	ignored := strings.Fields(string(raw))
	for _, want := range []string{"deploy/secrets", "**/.env", ".dev.env", ".cache", ".git"} {
		if !slices.Contains(ignored, want) {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}

// TestMakeSecretsReadsTheRelayFromItsInput: the relay's URL holds its
// password, so make-secrets.sh takes it on its standard input (typed at
// its prompt, or from a file): an argument would be in the process list
// for anyone on the host to read, and in the operator's shell history.
func TestMakeSecretsReadsTheRelayFromItsInput(t *testing.T) {
	dir := scriptCopy(t)
	smtp := "smtp://mailer:p4ss@relay.example.org:587?tls=starttls"
	cmd := exec.Command(filepath.Join(dir, "make-secrets.sh"))
	cmd.Stdin = strings.NewReader(smtp + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make-secrets.sh with the relay on its input: %v\n%s", err, out)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "secrets", "smtp_url")); err != nil || strings.TrimSpace(string(got)) != smtp {
		t.Errorf("secrets/smtp_url = %q (%v), want %q", got, err, smtp)
	}
	cmd = exec.Command(filepath.Join(dir, "make-secrets.sh"))
	cmd.Stdin = strings.NewReader("")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("a second run, with every file there, asked for the relay again: %v\n%s", err, out)
	}
	for _, file := range []string{"../docs/operations.md", "docker-compose.production.yml"} {
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`make-secrets\.sh +'?smtps?://`).Match(doc) {
			t.Errorf("%s gives make-secrets.sh the relay's URL, password and all, as an argument", file)
		}
	}
}

// TestProductionWorkersStayAsMany: how many workers run is a setting of
// deploy/.env, which every `up` reads. Compose makes a service as many
// as its file says at each `up`, so workers added with --scale alone
// would be taken away again by the next one, as an upgrade's is.
func TestProductionWorkersStayAsMany(t *testing.T) {
	raw, err := os.ReadFile("docker-compose.production.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Deploy struct {
				Replicas any `yaml:"replicas"`
			} `yaml:"deploy"`
		} `yaml:"services"`
	}
	if err := yaml.UnmarshalWithOptions(raw, &c, yaml.AllowDuplicateMapKey()); err != nil {
		t.Fatal(err)
	}
	replicas := fmt.Sprint(c.Services["worker"].Deploy.Replicas)
	m := composeVariable.FindStringSubmatch(replicas)
	if m == nil {
		t.Fatalf("worker replicas = %q, fixed in the file: workers added with --scale go at the next `up`; want ${NAME:-2} set in deploy/.env", replicas)
	}
	if !slices.Contains(envFileNames(t, "production.env.example"), m[1]) {
		t.Errorf("worker replicas come from %s, which production.env.example does not set", m[1])
	}
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), m[1]) {
		t.Errorf("docs/operations.md does not say that %s sets how many workers run", m[1])
	}
}

// TestMakeSecretsBoundsTheDatabasePools: without pool_max_conns each
// process's pool may hold as many connections as the host has cores
// (pgxpool's default), so on a host of 32 cores web, two workers and
// the migrations could ask PostgreSQL for 128, past its 100
// (max_connections, 3 of them kept for superusers). The DATABASE_URL
// make-secrets.sh writes bounds each pool, so that web, the migrations,
// up to 8 workers and their health checks fit whatever the host.
func TestMakeSecretsBoundsTheDatabasePools(t *testing.T) {
	dir := scriptCopy(t)
	cmd := exec.Command(filepath.Join(dir, "make-secrets.sh"))
	cmd.Stdin = strings.NewReader("smtp://relay.example.org:587\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make-secrets.sh: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "secrets", "database_url"))
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(string(raw))
	if !strings.Contains(url, "pool_max_conns=") {
		t.Fatalf("DATABASE_URL sets no pool_max_conns: each pool is as large as the host has cores")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	const workers, checks = 8, 8
	if n := (1+workers+1)*int(cfg.MaxConns) + checks; n > 97 {
		t.Errorf("pools of %d: web, the migrations and %d workers may hold %d connections, past the 97 PostgreSQL gives",
			cfg.MaxConns, workers, n)
	}
}

// scriptCopy copies make-secrets.sh into a directory of the test's own,
// where it writes the secrets beside itself, and returns the directory.
func scriptCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	script, err := os.ReadFile("make-secrets.sh")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "make-secrets.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOperationsNamesEverySecretFile: docs/operations.md's list of the
// secrets that may be given as files is the programs' own
// (config.FileVariables), no more and no fewer.
func TestOperationsNamesEverySecretFile(t *testing.T) {
	raw, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, "The secrets may be given as")
	if start < 0 {
		t.Fatal("docs/operations.md: no sentence beginning \"The secrets may be given as\"")
	}
	end := strings.Index(doc[start:], "name a file")
	if end < 0 {
		t.Fatal("docs/operations.md: the list of secret files does not end with \"name a file\"")
	}
	var named []string
	for _, m := range regexp.MustCompile("`([A-Z][A-Z0-9_]*)_FILE`").FindAllStringSubmatch(doc[start:start+end], -1) {
		named = append(named, m[1])
	}
	want := slices.Clone(config.FileVariables)
	slices.Sort(want)
	slices.Sort(named)
	if !slices.Equal(named, want) {
		t.Errorf("docs/operations.md names the files of %v; the programs read those of %v", named, want)
	}
}
