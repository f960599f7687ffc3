package layers

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "newsdigest/"

// goList runs go list over the module's packages with a template; each
// line of its output is one package's.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	bin, err := exec.LookPath("go")
	if err != nil {
		bin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(bin, append([]string{"list"}, args...)...)
	cmd.Dir = filepath.Join("..", "..") // the module's root
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return strings.Fields(string(out))
}

// TestDoorsAndServicesDoNotReachStorage: nothing the public pages, the
// console, the API, the worker or a service is built from depends on
// internal/postgres, directly or through another package.
func TestDoorsAndServicesDoNotReachStorage(t *testing.T) {
	for _, pattern := range []string{
		"./internal/web/...", "./internal/worker/...",
		"./internal/subscribers/...", "./internal/editions/...", "./internal/items/...",
		"./internal/staff/...", "./internal/overview/...", "./internal/digest/...", "./internal/domain/...",
	} {
		deps := goList(t, "-deps", pattern)
		if slices.Contains(deps, module+"internal/postgres") {
			t.Errorf("go list -deps %s holds internal/postgres: the doors and the services reach storage only through the interfaces the services define", pattern)
		}
	}
}

// TestOnlyTheWiringImportsStorage: the packages that import
// internal/postgres are the wiring, the binaries and the tests'
// throwaway databases.
func TestOnlyTheWiringImportsStorage(t *testing.T) {
	allowed := []string{module + "internal/app", module + "internal/testenv", module + "cmd/web", module + "cmd/worker"}
	for _, line := range goList(t, "-f", `{{.ImportPath}}|{{join .Imports ","}}`, "./...") {
		pkg, imports, _ := strings.Cut(line, "|")
		if pkg == module+"internal/postgres" || slices.Contains(allowed, pkg) {
			continue
		}
		if slices.Contains(strings.Split(imports, ","), module+"internal/postgres") {
			t.Errorf("%s imports internal/postgres; only %v may (the others call services)", pkg, allowed)
		}
	}
}

// TestStorageImportsNoLogic: of the project's packages, storage imports
// only the plain types and rules (domain) and the error kinds (errs).
func TestStorageImportsNoLogic(t *testing.T) {
	for _, imp := range goList(t, "-f", `{{join .Imports " "}}`, "./internal/postgres") {
		if !strings.HasPrefix(imp, module) {
			continue
		}
		if imp != module+"internal/domain" && imp != module+"internal/errs" {
			t.Errorf("internal/postgres imports %s: storage knows the domain's types and rules, not the logic packages", imp)
		}
	}
}

// TestMatchingIsPure: which stories a reader gets and how a digest is
// laid out (internal/digest) touch no storage, queue, mail or service.
func TestMatchingIsPure(t *testing.T) {
	forbidden := []string{"internal/postgres", "internal/tasks", "internal/mail", "internal/editions",
		"internal/subscribers", "internal/items", "github.com/hibiken/asynq", "github.com/jackc/pgx/v5"}
	deps := goList(t, "-deps", "./internal/digest")
	for _, f := range forbidden {
		for _, d := range deps {
			if d == f || d == module+f {
				t.Errorf("internal/digest depends on %s", d)
			}
		}
	}
}
