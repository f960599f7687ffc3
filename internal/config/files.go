package config

import (
	"fmt"
	"os"
	"strings"
)

// FileVariables are the settings that may be given as the path of a file
// holding the value, in NAME_FILE, instead of the value itself in NAME:
// the ones that are or may carry a secret. Docker and Kubernetes mount
// secrets as files, and a file keeps the secret out of the process's
// environment, which other tools print and log.
var FileVariables = []string{"SECRET_KEY", "SECRET_KEY_PREVIOUS", "ADMIN_TOKEN", "ADMIN_PASSWORD", "DATABASE_URL", "REDIS_URL", "SMTP_URL",
	"MAILGUN_WEBHOOK_SIGNING_KEY"}

// withFiles returns getenv with each NAME of FileVariables read from the
// file NAME_FILE names, where that is set. The file's content is the value,
// less the line break that ends it (echo and most editors add one). Both
// NAME and NAME_FILE set is an error, as is a file that cannot be read or
// is empty: a secret must never silently fall back to a default.
//
// A value given in NAME itself loses a line break at its end too: a
// secret put in the environment from a file (a Kubernetes secret made
// with --from-file) carries the file's, and an ADMIN_TOKEN
// or ADMIN_PASSWORD ending in one could never be sent or typed. So the
// same secret is the same key whichever way it comes.
func withFiles(getenv func(string) string) (func(string) string, error) {
	values := map[string]string{}
	for _, name := range FileVariables {
		path := strings.TrimSpace(getenv(name + "_FILE"))
		if path == "" {
			if v := getenv(name); v != "" {
				values[name] = strings.TrimRight(v, "\r\n")
			}
			continue
		}
		if strings.TrimSpace(getenv(name)) != "" {
			return nil, fmt.Errorf("%s and %s_FILE: both are set; set one of them", name, name)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s_FILE: %w", name, err)
		}
		v := strings.TrimRight(string(raw), "\r\n")
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("%s_FILE: %s is empty", name, path)
		}
		values[name] = v
	}
	if len(values) == 0 {
		return getenv, nil
	}
	return func(name string) string {
		if v, ok := values[name]; ok {
			return v
		}
		return getenv(name)
	}, nil
}
