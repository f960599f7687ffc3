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

// trimmedInEnvironment are the FileVariables that lose a line break at
// their end when given in the environment, as from a file (withFiles).
var trimmedInEnvironment = map[string]bool{"ADMIN_TOKEN": true, "ADMIN_PASSWORD": true, "MAILGUN_WEBHOOK_SIGNING_KEY": true}

// withFiles returns getenv with each NAME of FileVariables read from the
// file NAME_FILE names, where that is set. The file's content is the value,
// less the line break that ends it (echo and most editors add one). Both
// NAME and NAME_FILE set is an error, as is a file that cannot be read or
// is empty: a secret must never silently fall back to a default.
//
// A token, password or key compared as text (trimmedInEnvironment) loses
// a line break at its end when given in NAME itself too: one put in the
// environment from a file (a Kubernetes secret made with --from-file)
// carries the file's, and could never be sent or typed. SECRET_KEY and
// SECRET_KEY_PREVIOUS stay as given: they sign links and bounce
// addresses already sent and hash erased addresses, and a deployment
// that has run on a key with its line break must keep that very key.
func withFiles(getenv func(string) string) (func(string) string, error) {
	values := map[string]string{}
	for _, name := range FileVariables {
		path := strings.TrimSpace(getenv(name + "_FILE"))
		if path == "" {
			if v := getenv(name); v != "" && trimmedInEnvironment[name] {
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
