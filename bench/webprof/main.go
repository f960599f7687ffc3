// Command webprof is cmd/web for `make bench`'s load run: the same web
// app, wired the same way, plus Go's CPU profiler (net/http/pprof) on a
// loopback listener of its own, BENCH_PPROF_ADDR, so that the benchmark
// can say where the time of each page goes. It is never deployed.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(2)
	}
	l, err := listenLoopback(os.Getenv("BENCH_PPROF_ADDR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "BENCH_PPROF_ADDR:", err)
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	// The others (allocs, heap, goroutine) for looking by hand:
	// go tool pprof -sample_index=alloc_space http://BENCH_PPROF_ADDR/debug/pprof/allocs
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	go http.Serve(l, mux)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := (&app.Web{Config: cfg, Log: log}).Run(ctx); err != nil {
		log.Error("web stopped", "err", err)
		os.Exit(1)
	}
}

// listenLoopback listens on addr, which must be a loopback address: the
// profiler shows the program's insides.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%q is not a loopback address", addr)
	}
	return net.Listen("tcp", addr)
}
