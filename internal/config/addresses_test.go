package config

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// TestMalformedAddressesStopTheStart: an address that cannot work is
// refused by Load, naming its variable, rather than found out later (what
// pgx reads in DATABASE_URL is postgres.CheckURL's): a REDIS_URL or listen address with a port out of range started
// a program that could never reach Redis or listen, a BASE_URL with a
// query, fragment, password or path made every link of every mail wrong. The
// error never repeats a password.
func TestMalformedAddressesStopTheStart(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"DATABASE_URL", "postgres://newsdigest:s3cret-pw@db.internal:99999/newsdigest"},
		{"REDIS_URL", "redis://:s3cret-pw@redis.internal:99999/0"},
		{"REDIS_URL", "redis://:s3cret-pw@redis.internal:0/0"},
		{"REDIS_URL", "redis://redis.internal:6379/-1"},
		{"HTTP_ADDR", "bad host:8080"},
		{"HTTP_ADDR", "::1:8080"},
		{"HTTP_ADDR", ":http"},
		{"METRICS_ADDR", "::1:9464"},
		{"METRICS_ADDR", "127.0.0.1:"},
		{"BASE_URL", "http://localhost:99999"},
		{"BASE_URL", "https://news.example.org/?utm=1"},
		{"BASE_URL", "https://news.example.org/#top"},
		{"BASE_URL", "https://user:s3cret-pw@news.example.org"},
		{"BASE_URL", "https://example.org/digest"},
		{"BASE_URL", "https://example.org/digest/"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := Load(env(map[string]string{"SECRET_KEY": key, tc.name: tc.value}))
			if err == nil || !strings.HasPrefix(err.Error(), tc.name+":") {
				t.Fatalf("err = %v, want one starting with %s:", err, tc.name)
			}
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// TestSoundAddressesAreAccepted: the forms the README and the deployment
// files use.
func TestSoundAddressesAreAccepted(t *testing.T) {
	for _, vars := range []map[string]string{
		{"DATABASE_URL": "postgresql://newsdigest:pw@db.internal:5432/newsdigest?sslmode=require&pool_max_conns=8"},
		{"REDIS_URL": "rediss://:pw@redis.internal:6380/2"},
		{"HTTP_ADDR": ":8080", "METRICS_ADDR": "0.0.0.0:9464"},
		{"HTTP_ADDR": "[::1]:8080", "METRICS_ADDR": "localhost:9464"},
		{"HTTP_ADDR": "web_1:8080", "BOUNCE_SMTP_ADDR": "bounce_smtp:2525", "BOUNCE_DOMAIN": "bounce.news.example.org", "MAIL_FROM": "News <news@news.example.org>"},
		{"HTTP_ADDR": "127.0.0.1:0"},
		{"BASE_URL": "https://news.example.org"},
		{"BASE_URL": "https://news.example.org/"},
		{"BASE_URL": "http://[::1]:8080"},
	} {
		vars["SECRET_KEY"] = key
		if _, err := Load(env(vars)); err != nil {
			t.Errorf("%v refused: %v", vars, err)
		}
	}
}

// TestMailFromInAnotherScript: a MAIL_FROM whose domain is written in its
// own script is kept in its ASCII form, which every header and the
// relay's checks carry; one whose name part is not ASCII is refused,
// naming the variable.
func TestMailFromInAnotherScript(t *testing.T) {
	c, err := Load(env(map[string]string{"SECRET_KEY": key, "MAIL_FROM": "Noticias <boletin@migración.ejemplo.es>"}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.MailFrom.Address, "boletin@xn--migracin-13a.ejemplo.es"; got != want {
		t.Errorf("MAIL_FROM's address = %q, want %q", got, want)
	}
	if c.MailFrom.Name != "Noticias" {
		t.Errorf("MAIL_FROM's name = %q", c.MailFrom.Name)
	}
	for _, bad := range []string{"boletín@ejemplo.es", "news@ñandú-.ejemplo.es"} {
		if _, err := Load(env(map[string]string{"SECRET_KEY": key, "MAIL_FROM": bad})); err == nil || !strings.HasPrefix(err.Error(), "MAIL_FROM: ") {
			t.Errorf("MAIL_FROM=%s: %v, want an error naming MAIL_FROM", bad, err)
		}
	}
}

// TestSigningAndBounceDomainsInAnotherScript: the domains that must align
// with MAIL_FROM's, written in their own script as MAIL_FROM's may be,
// are kept in the same ASCII form: a signature's d= in UTF-8 verifies
// nowhere, and one the same as MAIL_FROM's must not be refused for not
// matching MAIL_FROM's converted form.
func TestSigningAndBounceDomainsInAnotherScript(t *testing.T) {
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edFile := writeKey(t, t.TempDir(), "ed.pem", "PRIVATE KEY", pkcs8(t, ed))
	for _, dkimDomain := range []string{"migración.ejemplo.es", "ejemplo.es", "Migración.Ejemplo.es"} {
		c, err := Load(env(map[string]string{"SECRET_KEY": key, "MAIL_FROM": "Noticias <boletin@migración.ejemplo.es>",
			"DKIM_DOMAIN": dkimDomain, "DKIM_SELECTOR": "ed", "DKIM_PRIVATE_KEY_FILE": edFile,
			"BOUNCE_DOMAIN": "rebotes.migración.ejemplo.es"}))
		if err != nil {
			t.Errorf("DKIM_DOMAIN=%s: %v", dkimDomain, err)
			continue
		}
		want, _ := idna.Lookup.ToASCII(strings.ToLower(dkimDomain))
		if c.DKIM.Domain != want {
			t.Errorf("DKIM_DOMAIN=%s: signing domain %q, want %q", dkimDomain, c.DKIM.Domain, want)
		}
		if got := c.Bounce.Domain; got != "rebotes.xn--migracin-13a.ejemplo.es" {
			t.Errorf("BOUNCE_DOMAIN's form = %q, want its ASCII one", got)
		}
	}
}
