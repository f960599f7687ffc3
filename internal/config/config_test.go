package config

import (
	"strings"
	"testing"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

const key = "0123456789abcdef0123456789abcdef"

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"SECRET_KEY": key}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Host != "127.0.0.1" || c.SMTP.Port != 1025 || c.SMTP.TLS != "none" {
		t.Errorf("SMTP = %+v", c.SMTP)
	}
	if c.MailFrom.Address != "digest@localhost" || c.MailFrom.Name != "News Digest" {
		t.Errorf("MailFrom = %v", c.MailFrom)
	}
	if c.SMTPConnections != 4 || c.SendRate != 0 || c.DigestTZ.String() != "UTC" {
		t.Errorf("got %d %v %v", c.SMTPConnections, c.SendRate, c.DigestTZ)
	}
	if !c.PlaintextHTTP() || c.URL("/x") != "http://localhost:8080/x" {
		t.Errorf("base URL handling wrong: %s", c.URL("/x"))
	}
}

func TestLoadSMTPURL(t *testing.T) {
	c, err := Load(env(map[string]string{"SECRET_KEY": key, "SMTP_URL": "smtp://u:p%40ss@relay.example.org?tls=starttls"}))
	if err != nil {
		t.Fatal(err)
	}
	want := SMTP{Host: "relay.example.org", Port: 587, TLS: "starttls", Username: "u", Password: "p@ss"}
	if c.SMTP != want {
		t.Errorf("SMTP = %+v, want %+v", c.SMTP, want)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		name, value string
	}{
		{"DATABASE_URL", "mysql://x"},
		{"REDIS_URL", "http://x"},
		{"SMTP_URL", "smtp://host?tls=maybe"},
		{"SMTP_URL", "ftp://host"},
		{"MAIL_FROM", "not an address"},
		{"BASE_URL", "localhost:8080"},
		{"HTTP_ADDR", "8080"},
		{"ADMIN_TOKEN", "short"},
		{"SECRET_KEY", "short"},
		{"DIGEST_CRON", "every monday"},
		{"DIGEST_TZ", "Mars/Olympus"},
		{"SMTP_CONNECTIONS", "0"},
		{"SEND_RATE", "-1"},
		{"BOUNCE_LIMIT", "0"},
		{"INGEST_ALLOW_PRIVATE_NETWORKS", "perhaps"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			vars := map[string]string{"SECRET_KEY": key, tc.name: tc.value}
			_, err := Load(env(vars))
			if err == nil || !strings.HasPrefix(err.Error(), tc.name+":") {
				t.Fatalf("err = %v, want one starting with %s:", err, tc.name)
			}
		})
	}
	if _, err := Load(env(nil)); err == nil || !strings.HasPrefix(err.Error(), "SECRET_KEY:") {
		t.Errorf("missing SECRET_KEY: err = %v", err)
	}
}
