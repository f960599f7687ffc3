package config

import (
	"strings"
	"testing"
	"time"
)

// TestLifecycleSettings: LOG_FORMAT, SMTP_TIMEOUT and SHUTDOWN_TIMEOUT,
// their defaults, and errors that name the variable.
func TestLifecycleSettings(t *testing.T) {
	load := func(env map[string]string) (*Config, error) {
		base := map[string]string{"SECRET_KEY": "5c2e9a71d04fb836e7a1c53d92b6f08a"}
		for k, v := range env {
			base[k] = v
		}
		return Load(func(k string) string { return base[k] })
	}
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.LogFormat != "text" || c.SMTPTimeout != 30*time.Second || c.ShutdownTimeout != 45*time.Second {
		t.Errorf("defaults: %q %s %s", c.LogFormat, c.SMTPTimeout, c.ShutdownTimeout)
	}
	if c.ShutdownDrainDelay != 5*time.Second {
		t.Errorf("SHUTDOWN_DRAIN_DELAY default: %s", c.ShutdownDrainDelay)
	}
	if c, err := load(map[string]string{"SHUTDOWN_DRAIN_DELAY": "0s"}); err != nil || c.ShutdownDrainDelay != 0 {
		t.Errorf("SHUTDOWN_DRAIN_DELAY=0s: %v %v", c, err)
	}
	c, err = load(map[string]string{"LOG_FORMAT": "json", "SMTP_TIMEOUT": "2s", "SHUTDOWN_TIMEOUT": "5s"})
	if err != nil || c.LogFormat != "json" || c.SMTPTimeout != 2*time.Second || c.ShutdownTimeout != 5*time.Second {
		t.Errorf("set: %+v %v", c, err)
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{map[string]string{"LOG_FORMAT": "JSON "}, "LOG_FORMAT"},
		{map[string]string{"SMTP_TIMEOUT": "soon"}, "SMTP_TIMEOUT"},
		{map[string]string{"SHUTDOWN_TIMEOUT": "-1s"}, "SHUTDOWN_TIMEOUT"},
		{map[string]string{"SHUTDOWN_TIMEOUT": "30s"}, "SHUTDOWN_TIMEOUT"}, // not longer than the default SMTP_TIMEOUT
		{map[string]string{"SMTP_TIMEOUT": "1m"}, "SMTP_TIMEOUT"},          // longer than the default SHUTDOWN_TIMEOUT
		{map[string]string{"SHUTDOWN_DRAIN_DELAY": "-1s"}, "SHUTDOWN_DRAIN_DELAY"},
		{map[string]string{"SHUTDOWN_DRAIN_DELAY": "a while"}, "SHUTDOWN_DRAIN_DELAY"},
	} {
		_, err := load(tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) && (tc.want == "SHUTDOWN_DRAIN_DELAY" || !strings.Contains(err.Error(), "SHUTDOWN_TIMEOUT")) {
			t.Errorf("%v: error %v, want one naming %s", tc.env, err, tc.want)
		}
	}
}
