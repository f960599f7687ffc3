package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"newsdigest/internal/domain"
)

// TestRedisURLs reads one server, Sentinel and Cluster URLs into what
// asynq and go-redis connect with, and refuses malformed ones naming
// REDIS_URL.
func TestRedisURLs(t *testing.T) {
	load := func(u string) (*Config, error) {
		return Load(env(map[string]string{"SECRET_KEY": key, "REDIS_URL": u}))
	}
	c, err := load("redis://:pw@10.0.0.5:6380/3")
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Redis; r.Kind != RedisSingle || r.Single.Addr != "10.0.0.5:6380" || r.Single.DB != 3 || r.Single.Password != "pw" {
		t.Errorf("redis://: %#v", r)
	}

	c, err = load("redis-sentinel://:s3cret@s1.example:26379,s2.example:26379,10.0.0.7:26380/mymaster?db=2")
	if err != nil {
		t.Fatal(err)
	}
	f := c.Redis
	if f.Kind != RedisSentinel || f.MasterName != "mymaster" || f.DB != 2 || f.Password != "s3cret" || f.SentinelPassword != "s3cret" ||
		!slices.Equal(f.Addrs, []string{"s1.example:26379", "s2.example:26379", "10.0.0.7:26380"}) {
		t.Errorf("redis-sentinel://: %#v", f)
	}
	c, err = load("redis-sentinel://s1.example:26379?master=cache&sentinel_password=other")
	if err != nil {
		t.Fatal(err)
	}
	if f := c.Redis; f.MasterName != "cache" || f.SentinelPassword != "other" || f.Password != "" {
		t.Errorf("redis-sentinel with ?master: %#v", f)
	}

	c, err = load("redis-cluster://user:pw@n1.example:7000,n2.example:7001")
	if err != nil {
		t.Fatal(err)
	}
	if k := c.Redis; k.Kind != RedisCluster || k.Username != "user" || k.Password != "pw" ||
		!slices.Equal(k.Addrs, []string{"n1.example:7000", "n2.example:7001"}) {
		t.Errorf("redis-cluster://: %#v", k)
	}
	if c, err = load("rediss-cluster://n1.example:7000"); err != nil || c.Redis.TLS == nil {
		t.Errorf("rediss-cluster:// takes TLS: %v", err)
	}
	for _, cl := range []*Config{c} {
		client := cl.Redis.Client()
		client.Close()
	}

	for _, bad := range []string{
		"http://h:6379", "redis-sentinel://s1:26379", "redis-sentinel://s1:26379/a/b",
		"redis-sentinel://s1:26379/m?db=x", "redis-sentinel://s1/m", "redis-cluster://n1:7000/2",
		"redis-cluster://n1:7000,n2:notaport", "redis-sentinel://s1:26379/m?master=n",
	} {
		if _, err := load(bad); err == nil || !strings.HasPrefix(err.Error(), "REDIS_URL: ") {
			t.Errorf("REDIS_URL=%s: %v, want an error naming REDIS_URL", bad, err)
		}
	}
}

// TestBounceAndPauseSettings reads BOUNCE_* and EDITION_PAUSE_*, and
// refuses what does not fit, naming the variable.
func TestBounceAndPauseSettings(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "mailgun")
	if err := os.WriteFile(keyFile, []byte("key-0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"SECRET_KEY": key, "MAIL_FROM": "News <digest@example.org>"}
	with := func(kv map[string]string) (*Config, error) {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range kv {
			m[k] = v
		}
		return Load(env(m))
	}
	c, err := with(map[string]string{"BOUNCE_DOMAIN": "Bounce.Example.org.", "BOUNCE_SMTP_ADDR": ":2525",
		"BOUNCE_SES_TOPIC_ARNS":            "arn:aws:sns:eu-west-1:123456789012:a, arn:aws:sns:us-east-1:123456789012:b",
		"MAILGUN_WEBHOOK_SIGNING_KEY_FILE": keyFile, "EDITION_PAUSE_BOUNCE_RATE": "2%", "EDITION_PAUSE_COMPLAINT_RATE": "0.002",
		"EDITION_PAUSE_MIN_SENT": "50"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Bounce.Domain != "bounce.example.org" || c.Bounce.SMTPAddr != ":2525" || len(c.Bounce.SESTopicARNs) != 2 ||
		c.Bounce.MailgunSigningKey != "key-0123456789abcdef" {
		t.Errorf("bounce settings: %+v", c.Bounce)
	}
	if want := (domain.PauseLimits{BounceRate: 0.02, ComplaintRate: 0.002, MinSent: 50}); c.PauseLimits != want {
		t.Errorf("pause limits %+v, want %+v", c.PauseLimits, want)
	}
	if c, _ := with(nil); c.PauseLimits != (domain.PauseLimits{BounceRate: 0.05, ComplaintRate: 0.001, MinSent: 100}) || c.Bounce.Domain != "" {
		t.Errorf("defaults: %+v %+v", c.PauseLimits, c.Bounce)
	}
	for name, kv := range map[string]map[string]string{
		"BOUNCE_DOMAIN":                {"BOUNCE_DOMAIN": "bounce.other.org"},
		"BOUNCE_DOMAIN:":               {"BOUNCE_DOMAIN": "localhost"},
		"BOUNCE_SMTP_ADDR":             {"BOUNCE_SMTP_ADDR": ":25"},
		"BOUNCE_SMTP_ADDR:":            {"BOUNCE_DOMAIN": "bounce.example.org", "BOUNCE_SMTP_ADDR": "25"},
		"BOUNCE_SES_TOPIC_ARNS":        {"BOUNCE_DOMAIN": "bounce.example.org", "BOUNCE_SES_TOPIC_ARNS": "arn:aws:sns:eu-west-1:1:x"},
		"MAILGUN_WEBHOOK_SIGNING_KEY":  {"MAILGUN_WEBHOOK_SIGNING_KEY": "key-x"},
		"BOUNCE_SMTP_TLS_CERT_FILE":    {"BOUNCE_DOMAIN": "bounce.example.org", "BOUNCE_SMTP_ADDR": ":25", "BOUNCE_SMTP_TLS_CERT_FILE": keyFile},
		"EDITION_PAUSE_BOUNCE_RATE":    {"EDITION_PAUSE_BOUNCE_RATE": "120%"},
		"EDITION_PAUSE_COMPLAINT_RATE": {"EDITION_PAUSE_COMPLAINT_RATE": "lots"},
		"EDITION_PAUSE_MIN_SENT":       {"EDITION_PAUSE_MIN_SENT": "0"},
	} {
		variable := strings.TrimSuffix(name, ":")
		if _, err := with(kv); err == nil || !strings.Contains(err.Error(), variable) {
			t.Errorf("%v: %v, want an error naming %s", kv, err, variable)
		}
	}
}
