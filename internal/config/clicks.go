package config

import (
	"fmt"
	"strings"
)

// loadClicks reads CLICK_COUNTING: "on" (the default) sends a digest's
// story links through the site's /r/ links, which count clicks per story
// and nothing per person (docs/privacy.md); "off" links straight to the
// stories and counts nothing.
func (c *Config) loadClicks(get func(name, def string) string) error {
	switch v := strings.ToLower(strings.TrimSpace(get("CLICK_COUNTING", "on"))); v {
	case "on", "true", "1":
		c.ClickCounting = true
	case "off", "false", "0":
		c.ClickCounting = false
	default:
		return fmt.Errorf("CLICK_COUNTING: want on or off, got %q", v)
	}
	return nil
}
