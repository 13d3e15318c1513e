# KOX — the two commands a new user needs are `make run` and `make test`.

SHELL := /bin/bash
CARGO ?= cargo
KOX_TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export KOX_TEST_PG_URL

.PHONY: run test test-rust test-web test-e2e test-fuzz web web-deps e2e-deps fuzz-deps release debug openapi bench lint fmt clean

## run: build the UI and a release binary, then serve the demo on http://127.0.0.1:8080
run: web release
	./target/release/kox serve --demo

## test: the whole suite — Rust on SQLite and PostgreSQL, web unit tests, browser tests, the API fuzzer
test: test-web test-rust test-e2e test-fuzz

web-deps: web/node_modules/.package-lock.json
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

fuzz-deps: fuzz/.venv/bin/st
fuzz/.venv/bin/st: fuzz/requirements.txt
	python3 -m venv fuzz/.venv
	fuzz/.venv/bin/pip install -q --disable-pip-version-check -r fuzz/requirements.txt
	touch $@

e2e-deps: e2e/node_modules/.package-lock.json
e2e/node_modules/.package-lock.json: e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund

## web: build the UI into web/dist (embedded into the binary at build time)
web: web-deps
	cd web && npm run build

release:
	$(CARGO) build --release -p kox

debug:
	$(CARGO) build -p kox

test-rust: web
	$(CARGO) test --workspace

test-web: web-deps
	cd web && npm test

test-e2e: web debug e2e-deps
	cd e2e && KOX_E2E_BIN=$(CURDIR)/target/debug/kox npx playwright test

## test-fuzz: schemathesis against the served OpenAPI document (fuzz/run.py)
test-fuzz: web debug fuzz-deps
	KOX_FUZZ_BIN=$(CURDIR)/target/debug/kox python3 fuzz/run.py

## openapi: accept an API change — re-pin the OpenAPI document and regenerate web types
openapi:
	KOX_UPDATE_OPENAPI=1 $(CARGO) test -p kox-server --test api openapi
	cd web && npm run gen:api

## bench: load and scale benchmarks (see bench/README.md); needs wrk
bench: web release e2e-deps
	bash bench/run.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf web/dist
