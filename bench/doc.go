// Package bench holds newsdigest's end-to-end benchmarks, run by
// `make bench` and never by `go test ./...` (they are Benchmark functions,
// which plain `go test` does not run).
//
// BenchmarkSendEdition seeds a throwaway database with subscribers and a
// week of items, runs the real worker binary as a subprocess against an
// SMTP sink on loopback, and measures one edition from compile to the last
// message, next to a bare go-mail loop over the same sink. docs/performance.md
// explains the figures and the targets.
package bench
