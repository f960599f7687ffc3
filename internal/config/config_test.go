package config

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

const key = "7d1f0a93c6e24b58a0f3d9e17c52b84e"

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
	if c.SMTPConnections != 4 || c.SendRate != 0 || c.DigestTZ.String() != "UTC" || c.DigestLateLimit != 24*time.Hour {
		t.Errorf("got %d %v %v %v", c.SMTPConnections, c.SendRate, c.DigestTZ, c.DigestLateLimit)
	}
	c, err = Load(env(map[string]string{"SECRET_KEY": key, "DIGEST_LATE_LIMIT": "36h30m"}))
	if err != nil || c.DigestLateLimit != 36*time.Hour+30*time.Minute {
		t.Errorf("DIGEST_LATE_LIMIT=36h30m: %v, %v", c, err)
	}
	if !c.PlaintextHTTP() || c.URL("/x") != "http://localhost:8080/x" {
		t.Errorf("base URL handling wrong: %s", c.URL("/x"))
	}
}

// Without SMTP_URL the mail goes nowhere real, and the binaries say so at
// start; with it, nothing is said.
func TestWarningsSayMailGoesNowhereWithoutSMTPURL(t *testing.T) {
	c, err := Load(env(map[string]string{"SECRET_KEY": key}))
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Warnings(); len(w) != 1 || !strings.Contains(w[0], "SMTP_URL is not set") || !strings.Contains(w[0], "no mail is sent") {
		t.Errorf("warnings without SMTP_URL = %q", w)
	}
	c, err = Load(env(map[string]string{"SECRET_KEY": key, "SMTP_URL": "smtp://relay.example.org:587?tls=starttls",
		"ORG_POSTAL_ADDRESS": "Apartado 123, San José", "BASE_URL": "https://news.example.org",
		"MAIL_FROM": "News <digest@news.example.org>"}))
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("warnings with SMTP_URL set = %q", w)
	}
}

// Settings that work but leave the desk open to a mistake it will not
// see are named at start: a proxy range that trusts every client, a
// desk's zone that is whatever the machine's is, and mail to real readers
// with no postal address in its footer, or with the values for trying
// it out on one's own machine: links to localhost, a sender at
// localhost, the example file's postal address.
func TestWarningsNameRiskySettings(t *testing.T) {
	smtp := "smtp://relay.example.org:587?tls=starttls"
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,0.0.0.0/0"}, "TRUSTED_PROXIES holds 0.0.0.0/0"},
		{map[string]string{"TRUSTED_PROXIES": "::/0"}, "TRUSTED_PROXIES holds ::/0"},
		{map[string]string{"DIGEST_TZ": "Local"}, "DIGEST_TZ is Local"},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8", "DIGEST_TZ": "America/Costa_Rica"}, ""},
		{map[string]string{"ORG_POSTAL_ADDRESS": " "}, "ORG_POSTAL_ADDRESS is not set"},
		{map[string]string{"BASE_URL": "http://localhost:8080"}, "BASE_URL is http://localhost:8080 while mail goes to the relay relay.example.org"},
		{map[string]string{"BASE_URL": "http://[::1]:8080"}, "BASE_URL is http://[::1]:8080"},
		{map[string]string{"BASE_URL": "http://LOCALHOST:8080"}, "BASE_URL is http://LOCALHOST:8080"},
		{map[string]string{"BASE_URL": "http://news.localhost"}, "BASE_URL is http://news.localhost"},
		{map[string]string{"BASE_URL": "http://0.0.0.0:8080"}, "BASE_URL is http://0.0.0.0:8080"},
		{map[string]string{"MAIL_FROM": "digest@News.Localhost"}, "MAIL_FROM is digest@News.Localhost"},
		{map[string]string{"MAIL_FROM": "News Digest <digest@localhost>"}, "MAIL_FROM is digest@localhost"},
		{map[string]string{"ORG_POSTAL_ADDRESS": "News Digest, 1 Example Street, 10000 Sample City, Country"}, "ORG_POSTAL_ADDRESS is still the example's"},
		// A relay on this machine is a catcher or a local MTA: trying
		// it out, the example's values are what is wanted.
		{map[string]string{"SMTP_URL": "smtp://127.0.0.1:1025", "BASE_URL": "http://localhost:8080", "MAIL_FROM": "digest@localhost"}, ""},
	} {
		tc.vars["SECRET_KEY"] = key
		for k, v := range map[string]string{"SMTP_URL": smtp, "ORG_POSTAL_ADDRESS": "Apartado 123, San José",
			"BASE_URL": "https://news.example.org", "MAIL_FROM": "News <digest@news.example.org>"} {
			if _, set := tc.vars[k]; !set {
				tc.vars[k] = v
			}
		}
		c, err := Load(env(tc.vars))
		if err != nil {
			t.Fatal(err)
		}
		w := c.Warnings()
		if tc.want == "" && len(w) != 0 || tc.want != "" && (len(w) != 1 || !strings.HasPrefix(w[0], tc.want)) {
			t.Errorf("%v: warnings %q, want one beginning %q", tc.vars, w, tc.want)
		}
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

// TestLoadSMTPURLRefusesWhatItWouldIgnore: a part of SMTP_URL that is
// not read stops the start rather than changing where mail goes. A
// password with an unescaped / (as relays' generated passwords have)
// makes the rest of the URL a path: read as it is, the mail would go to
// a host named after the user, without a password. A misspelt query key
// (tsl=none) would leave TLS at its default. The error does not repeat
// the password.
func TestLoadSMTPURLRefusesWhatItWouldIgnore(t *testing.T) {
	for _, raw := range []string{
		"smtp://mailer:2525/s3cr3tPW@relay.example.org:587",
		"smtp://relay.example.org:587/s3cr3tPW",
		"smtp://mailer:s3cr3tPW@relay.example.org:587?tsl=none",
		"smtp://mailer:s3cr3tPW@relay.example.org:587?tls=none&auth=plain",
		"smtp://mailer:12?s3cr3tPW@relay.example.org:587",
		"smtp://mailer:12#s3cr3tPW@relay.example.org:587",
	} {
		_, err := Load(env(map[string]string{"SECRET_KEY": key, "SMTP_URL": raw}))
		if err == nil || !strings.HasPrefix(err.Error(), "SMTP_URL: ") {
			t.Errorf("SMTP_URL=%s: err = %v, want one naming SMTP_URL", raw, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3tPW") {
			t.Errorf("SMTP_URL=%s: the error repeats the password: %v", raw, err)
		}
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
		{"DIGEST_LATE_LIMIT", "a day"},
		{"DIGEST_LATE_LIMIT", "-1h"},
		{"DIGEST_LATE_LIMIT", "10s"},
		{"SMTP_CONNECTIONS", "0"},
		{"SEND_RATE", "-1"},
		{"SEND_RATE", "NaN"},
		{"SEND_RATE", "+Inf"},
		{"METRICS_ADDR", "9464"},
		{"TRUSTED_PROXIES", "10.0.0.0/8,proxy.local"},
		{"SIGNUP_RATE_PER_IP", "-1"},
		{"CONFIRM_MAILS_PER_DAY", "0"},
		// The values .env.example once shipped, and guessable ones.
		{"SECRET_KEY", "change-me-0123456789abcdef0123456789abcdef"},
		{"SECRET_KEY", "0123456789abcdef0123456789abcdef"},
		{"SECRET_KEY", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{"SECRET_KEY", "my-super-secret-key-for-newsdigest-2026"},
		{"ADMIN_TOKEN", "change-me-admin-token-0123456789"},
		{"ADMIN_TOKEN", "abcabcabcabcabcabcabc"},
		{"ADMIN_TOKEN", "1111111111111111"},
		{"ADMIN_PASSWORD", "changeme"},
		{"ADMIN_PASSWORD", "short pw"},
		{"ADMIN_PASSWORD", "change-me-admin-password"},
		// Weak by zxcvbn's estimate or breached, though long enough.
		{"ADMIN_PASSWORD", "aaaaaaaaaaaa"},
		{"ADMIN_PASSWORD", "123456789012"},
		{"ADMIN_PASSWORD", "P@ssw0rd1234"},
		{"ADMIN_PASSWORD", "admin2026admin"},
		{"ADMIN_PASSWORD", "mariagarcia1985"},
		{"ADMIN_TOKEN", "qwertyuiopasdfgh"},
		{"ADMIN_TOKEN", "1q2w3e4r5t6y7u8i9o0p"},
		{"SECRET_KEY", "qwertyuiopasdfghjklzxcvbnm123456"},
		{"SECRET_KEY", "newsdigest newsdigest newsdigest"},
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

// The secrets and passwords the tests use, and sound ones, start.
func TestSoundSecretsAreAccepted(t *testing.T) {
	for _, vars := range []map[string]string{
		{"SECRET_KEY": key, "ADMIN_TOKEN": "test-admin-token-0123456789", "ADMIN_PASSWORD": "owner passphrase 4f9c1e77b2"},
		{"SECRET_KEY": key, "ADMIN_PASSWORD": "a changed owner passphrase 71d2"},
		{"SECRET_KEY": key, "ADMIN_PASSWORD": "correct horse battery staple"},
	} {
		if _, err := Load(env(vars)); err != nil {
			t.Errorf("%v refused: %v", vars, err)
		}
	}
}

// TestRandomSecretsAreAccepted: no random value of the shortest lengths
// allowed is refused. How low random values can score is only known by
// trying many, and each estimate is zxcvbn's dictionary and l33t matching
// over every substring, some 10 ms under -race. So the lowest-scoring
// draws of a search of 12,000 tokens and 3,000 keys are kept here and
// checked every time (ADMIN_TOKEN's threshold, 30 bits, sits 7 to 10 bits
// under the lowest draws found, secrets.go), and a few hundred fresh
// draws look for new ones.
func TestRandomSecretsAreAccepted(t *testing.T) {
	lowestTokens := []string{ // about 40 to 41.5 bits
		"e5c646c2e4aceace", "bbbb5622a2202576", "25300372e700e345",
		"2004cdef64820cad", "25620260d9592340", "d33a0150154dbebe",
	}
	lowestKeys := []string{ // about 91 to 94 bits
		"668a09609cf19876540f571019323033", "4cd7d0e0327376370116ef1007729127",
		"0f0f0600295234db7543a3e5bbc593ca", "5958b19554061937625e4a3086c68f51",
	}
	for i := range max(len(lowestTokens), len(lowestKeys)) {
		vars := map[string]string{"SECRET_KEY": lowestKeys[i%len(lowestKeys)], "ADMIN_TOKEN": lowestTokens[i%len(lowestTokens)]}
		if _, err := Load(env(vars)); err != nil {
			t.Errorf("low-scoring random secrets %v refused: %v", vars, err)
		}
	}
	for range 250 {
		k := make([]byte, 16) // the shortest SECRET_KEY: 32 hex characters
		rand.Read(k)
		tok := make([]byte, 8) // the shortest ADMIN_TOKEN: 16 hex characters
		rand.Read(tok)
		vars := map[string]string{"SECRET_KEY": hex.EncodeToString(k), "ADMIN_TOKEN": hex.EncodeToString(tok)}
		if _, err := Load(env(vars)); err != nil {
			t.Fatalf("random secrets %v refused: %v", vars, err)
		}
	}
}

func TestLoadNewSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"SECRET_KEY": key}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "" || len(c.TrustedProxies) != 0 || c.SignupRatePerIP != 10 || c.ConfirmMailsPerDay != 3 {
		t.Errorf("defaults: metrics %q, proxies %v, per IP %d, per day %d", c.MetricsAddr, c.TrustedProxies, c.SignupRatePerIP, c.ConfirmMailsPerDay)
	}
	c, err = Load(env(map[string]string{"SECRET_KEY": key, "METRICS_ADDR": "127.0.0.1:9999",
		"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7 ,fd00::/8", "SIGNUP_RATE_PER_IP": "0", "CONFIRM_MAILS_PER_DAY": "5"}))
	if err != nil {
		t.Fatal(err)
	}
	var proxies []string
	for _, p := range c.TrustedProxies {
		proxies = append(proxies, p.String())
	}
	if got := strings.Join(proxies, ","); got != "10.0.0.0/8,192.168.1.7/32,fd00::/8" {
		t.Errorf("TrustedProxies = %s", got)
	}
	if c.MetricsAddr != "127.0.0.1:9999" || c.SignupRatePerIP != 0 || c.ConfirmMailsPerDay != 5 {
		t.Errorf("got %q %d %d", c.MetricsAddr, c.SignupRatePerIP, c.ConfirmMailsPerDay)
	}
}

// TestSMTPURLOnThisMachineIsPlainByDefault: a relay on this machine, as
// the start's warnings tell one (isLoopback), is sent to in plain unless
// the URL says otherwise; any other is held to STARTTLS.
func TestSMTPURLOnThisMachineIsPlainByDefault(t *testing.T) {
	for host, want := range map[string]string{"127.0.0.1": "none", "127.0.0.2": "none", "[::1]": "none", "LOCALHOST": "none",
		"mail.localhost": "none", "relay.example.org": "starttls", "mailpit": "starttls"} {
		c, err := Load(env(map[string]string{"SECRET_KEY": key, "SMTP_URL": "smtp://" + host + ":1025"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.SMTP.TLS != want {
			t.Errorf("smtp://%s:1025: tls %s, want %s", host, c.SMTP.TLS, want)
		}
	}
}
