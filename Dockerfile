# syntax=docker/dockerfile:1

# Build both binaries once; the same image runs `web` or `worker`.
FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /out/ ./cmd/...

FROM debian:bookworm-slim
# ca-certificates: TLS to SMTP relays and feeds; tzdata: DIGEST_TZ;
# curl: the compose healthcheck.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 newsdigest \
    && useradd --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin newsdigest
COPY --from=build /out/web /out/worker /usr/local/bin/
USER 10001:10001
ENV HTTP_ADDR=:8080
EXPOSE 8080
CMD ["web"]
