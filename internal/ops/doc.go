// Package ops holds the tests (in its _test files) that run the web and
// worker binaries as an operator does: real processes, stopped with
// SIGTERM, scraped for their metrics, read for their logs, and kept
// running while PostgreSQL and Redis go away and come back. The Grafana
// dashboard and the Prometheus rules in deploy/ are checked here against
// what the programs export.
package ops
