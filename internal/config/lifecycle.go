package config

import (
	"fmt"
	"time"
)

// loadLifecycle reads how the binaries log and stop: LOG_FORMAT,
// SMTP_TIMEOUT, SHUTDOWN_TIMEOUT and SHUTDOWN_DRAIN_DELAY.
func (c *Config) loadLifecycle(get func(name, def string) string) error {
	switch c.LogFormat = get("LOG_FORMAT", "text"); c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("LOG_FORMAT: want text or json, got %q", c.LogFormat)
	}
	var err error
	if c.SMTPTimeout, err = time.ParseDuration(get("SMTP_TIMEOUT", DefaultSMTPTimeout.String())); err != nil ||
		c.SMTPTimeout < 100*time.Millisecond {
		return fmt.Errorf("SMTP_TIMEOUT: want a duration such as 30s, at least 100ms")
	}
	if c.ShutdownTimeout, err = time.ParseDuration(get("SHUTDOWN_TIMEOUT", DefaultShutdownTimeout.String())); err != nil ||
		c.ShutdownTimeout <= 0 {
		return fmt.Errorf("SHUTDOWN_TIMEOUT: want a duration such as 45s")
	}
	// A send started just before the signal must be able to end within
	// the time left: otherwise it is cut off mid-conversation, and a
	// message cut off after its final dot may or may not have gone.
	if c.ShutdownTimeout <= c.SMTPTimeout {
		return fmt.Errorf("SHUTDOWN_TIMEOUT: %s is not longer than SMTP_TIMEOUT (%s); the worker must be able to finish a send in flight",
			c.ShutdownTimeout, c.SMTPTimeout)
	}
	if c.ShutdownDrainDelay, err = time.ParseDuration(get("SHUTDOWN_DRAIN_DELAY", DefaultShutdownDrainDelay.String())); err != nil ||
		c.ShutdownDrainDelay < 0 || c.ShutdownDrainDelay > 10*time.Minute {
		return fmt.Errorf("SHUTDOWN_DRAIN_DELAY: want a duration such as 10s, from 0s to 10m")
	}
	return nil
}
