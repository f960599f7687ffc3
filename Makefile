# newsdigest: `make dev` runs it locally, `make test` checks it.

GO ?= go
export PATH := $(PATH):/usr/local/go/bin

# Extra flags, e.g. make test TESTFLAGS='-run TestImport ./internal/ingest'
TESTFLAGS ?=
BENCHFLAGS ?=

.PHONY: help dev stop test test-chart bench build vet fmt

help:
	@echo "make dev     run web, worker and Mailpit locally with demo data (Ctrl-C stops)"
	@echo "make stop    stop what 'DEV_DETACH=1 make dev' left running"
	@echo "make test    start PostgreSQL/Redis if needed, go vet, go test ./..., and make test-chart beside it"
	@echo "make test-chart  helm lint and helm template on deploy/helm/newsdigest (helm built from its Go module)"
	@echo "make bench   run the benchmarks in ./bench"
	@echo "make build   build bin/web and bin/worker"
	@echo "make vet     go vet ./..."
	@echo "make fmt     gofmt -s -w on every Go file"

dev:
	scripts/dev.sh

stop:
	scripts/dev.sh stop

# With TESTFLAGS (a chosen test), only that runs; without, the chart too,
# beside the Go suite rather than after it (it needs no service), its
# output printed once the suite is done.
test:
	@if [ -n "$(TESTFLAGS)" ]; then exec scripts/test.sh $(TESTFLAGS); fi; \
	log=$$(mktemp); \
	( $(MAKE) --no-print-directory test-chart >"$$log" 2>&1; echo $$? >"$$log.rc" ) & \
	scripts/test.sh; rc=$$?; wait; \
	echo "== make test-chart (ran beside the suite)"; cat "$$log"; crc=$$(cat "$$log.rc"); \
	rm -f "$$log" "$$log.rc"; \
	if [ $$crc -ne 0 ]; then echo "make test: the chart's test failed" >&2; fi; \
	[ $$rc -eq 0 ] && [ $$crc -eq 0 ]

# The Helm chart's test is a Go module of its own (deploy/helm), so that
# helm's Kubernetes dependencies stay out of go.mod; the first run builds
# helm (a few minutes), later ones reuse Go's build cache.
test-chart:
	cd deploy/helm && $(GO) vet ./... && $(GO) test -count=1 -timeout 30m ./...

# BENCH_SUBSCRIBERS (default 100000) and BENCH_CONNECTIONS (default 4) reach
# the edition benchmark through the environment; BENCH_LOAD_CLIENTS (32),
# BENCH_LOAD_SECONDS (10), BENCH_ARCHIVE (100000) and BENCH_PROFILE_DIR the
# load run of the public pages (BENCHFLAGS='-bench PublicLoad' runs it
# alone); BENCH_CONSOLE_SUBSCRIBERS (1000000) and BENCH_CONSOLE_REQUESTS
# (20) the console's (BENCHFLAGS='-bench ConsolePages'); BenchmarkSendSlots
# (BENCHFLAGS='-bench SendSlots') sends the same readers on their own
# schedules, over 24 zones and three frequencies. Their summaries
# are printed again after go test's own line, so that they are the last
# lines.
bench:
	@if [ ! -d bench ]; then echo "make bench: there is no ./bench package yet; nothing to run"; exit 0; fi; \
	out=$$(mktemp); \
	echo "$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 150m $(BENCHFLAGS) ./bench/..."; \
	{ $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 150m $(BENCHFLAGS) ./bench/... 2>&1; echo $$? >"$$out.rc"; } | tee "$$out"; \
	rc=$$(cat "$$out.rc"); grep -E '^(load|console): ' "$$out" | tail -n 11; grep '^bench: subscribers=' "$$out" | tail -n 1; grep '^slots: subscribers=' "$$out" | tail -n 1; \
	rm -f "$$out" "$$out.rc"; exit $$rc

build:
	$(GO) build -o bin/ ./cmd/...

vet:
	$(GO) vet ./...

fmt:
	gofmt -s -w $$(find . -name '*.go' -not -path './.git/*' -not -path './tmp/*' -not -path './.cache/*')
