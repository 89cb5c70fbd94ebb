# feedback-kiosk: the two commands a new machine needs are `make run` and `make test`.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# Trunk must never try to download tools: everything comes from `make setup`.
export TRUNK_OFFLINE := true

WASM := --target wasm32-unknown-unknown

# What a customer's kiosk may transfer, wasm + js + css gzipped, in KB: the
# one place the budget is set. `make test` fails above it; `make bench` shows it.
KIOSK_BUDGET_KB := 105


.PHONY: setup run dev build test lint test-native test-browser test-size test-e2e bench

## Install what is missing (idempotent).
setup:
	@scripts/setup.sh

## Build the kiosk and the collector, and serve both on http://127.0.0.1:8080
## with a local SQLite database and a kiosk token provisioned (Ctrl-C stops).
run: setup
	@scripts/run.sh

## Build the three pages and serve them (kiosk, /manager/, /dashboard/) on
## http://127.0.0.1:8080 without a collector: first-start setup works; run
## `make build` again and reload after a change.
dev: build
	node tests/e2e/static-server.mjs dist 8080

## Release build of the kiosk (dist/), the manager page (dist/manager/) and
## the dashboard (dist/dashboard/).
build: setup
	@scripts/build.sh

## Every test: formatting, lints, native, browser and end-to-end.
test: setup lint test-native test-browser build test-size test-e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --exclude feedback-collector --all-targets $(WASM) -- -D warnings

test-native:
	cargo test --workspace

test-browser:
	cargo test $(WASM) --tests

## The customer kiosk within its transfer budget (needs `make build`).
test-size:
	node scripts/sizes.mjs dist "customer kiosk" $(KIOSK_BUDGET_KB) --check

test-e2e:
	cargo build -p feedback-collector
	npx playwright test

# PostgreSQL for benchmarks: durable commits, and shared buffers as a
# production server would have (a quarter of this machine's memory).
BENCH_PG := FEEDBACK_PG_FSYNC=on FEEDBACK_PG_OPTIONS="-c shared_buffers=4GB"

## Benchmarks (not tests): sizes of the release build, storage figures in
## Chromium, draining a queue to the collector, collector ingest and load.
bench: build
	@echo "== transfer size (release build, wasm-opt -Oz)"
	@node scripts/sizes.mjs dist "customer kiosk" $(KIOSK_BUDGET_KB)
	@node scripts/sizes.mjs dist/manager "manager page"
	@node scripts/sizes.mjs dist/dashboard "dashboard" 200
	@echo "== storage in headless Chromium"
	@cargo test $(WASM) --release --features bench --test storage_bench -- --nocapture 2>&1 \
		| grep -E '^(save latency|storage per|estimated fit|measured fit)'
	@echo "== manager view in headless Chromium"
	@cargo test $(WASM) --release --features bench --test manager_bench -- --nocapture 2>&1 \
		| grep -E '^manager view'
	@echo "== start from the offline app shell in headless Chromium"
	@node scripts/bench-startup.mjs dist
	@echo "== sync: Chromium to the collector on loopback"
	@cargo build --quiet --profile server -p feedback-collector --bin feedback-collector --example bench
	@COLLECTOR_BIN=target/server/feedback-collector node scripts/bench-drain.mjs
	@echo "== collector (release binary, HTTP on 127.0.0.1), SQLite, then PostgreSQL (a throwaway cluster)"
	@target/server/examples/bench target/server/feedback-collector sqlite
	@$(BENCH_PG) target/server/examples/bench target/server/feedback-collector postgres
	@echo "== collector reports (responses over 500 stores x 2 kiosks x a year; BENCH_RESPONSES sets how many)"
	@cargo build --quiet --profile server -p feedback-collector --example bench_reports
	@target/server/examples/bench_reports $${BENCH_RESPONSES:-1000000} target/server/feedback-collector sqlite
	@$(BENCH_PG) target/server/examples/bench_reports $${BENCH_RESPONSES:-1000000} target/server/feedback-collector postgres
