// Package layers holds no code: its test keeps the dependency rules of
// docs/architecture.md true. Storage (internal/postgres) is reached only
// through the services' interfaces, so the doors (the public pages, the
// console, the JSON API, the worker) and the services never import it;
// only the wiring (internal/app), the binaries (cmd) and the tests'
// throwaway databases (internal/testenv) do. Storage itself knows no
// logic: of the project's packages it imports only domain and errs.
package layers
