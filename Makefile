# yingji — two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test setup data system system-test messages lint bench schema clean

run: setup ## set up and start web + worker on 127.0.0.1:8000 (Ctrl-C stops both)
	$(BIN)/yingji serve --addr 127.0.0.1:8000

test: system-test $(STAMP) messages ## set up, then the whole suite on SQLite, then DB tests on PostgreSQL
	$(BIN)/pytest -q -m "not browser"
	$(BIN)/pytest -q -m browser tests/browser
	scripts/pg_test.sh

setup: system $(STAMP) messages data

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

system:
	scripts/ensure_system.sh run

system-test:
	scripts/ensure_system.sh test

messages: $(STAMP)
	cd src/yingji && ../../$(BIN)/yingji compilemessages -v0

data: $(STAMP)
	$(BIN)/yingji migrate --noinput -v0
	$(BIN)/yingji load-reference
	$(BIN)/yingji seed-demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/yingji

bench: $(STAMP) ## print benchmark figures (JSON under bench/results/)
	scripts/ensure_system.sh bench
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done
	@$(BIN)/python bench/bench_monitoring_prometheus.py --summary

schema: $(STAMP) ## regenerate the committed OpenAPI schema
	$(BIN)/yingji spectacular --file docs/openapi.yaml --validate

clean:
	rm -rf $(VENV) var
