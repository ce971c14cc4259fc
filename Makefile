# Tilannekuva: the entry points. `make demo` and `make test` set up everything on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
UV := .uv/bin/uv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo serve test suite migrations-check lint fmt typecheck audit bench install install-production chromium gettext messages pictures clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

install: $(VENV)/.installed

# A server's environment: the locked runtime dependencies only, without the development group (tests, linters,
# type checker, browsers, audit tools: pyproject.toml [dependency-groups] dev). docs/OPERATIONS.md.
install-production: | $(UV)
	$(UV) sync --frozen --no-dev --quiet

gettext:
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)
	@command -v pdftoppm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)

messages: install gettext
	$(BIN)/tilannekuva compilemessages --ignore=.venv --ignore=.uv -v0

demo: install messages
	$(BIN)/tilannekuva migrate --no-input -v0
	$(BIN)/tilannekuva demo
	@echo "Tilannekuva demo: http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/tilannekuva runserver --insecure $(HOST):$(PORT)

# lint-imports checks the layering contract in pyproject.toml (an app imports only the apps below it).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy tilannekuva

# uv.lock against the vendored advisory database (.ci/advisories.json), offline, and pip-audit against PyPI's service
# when it answers: fails on known vulnerabilities and when it cannot run (docs/DECISIONS.md, "Dependency audit").
audit: install
	$(BIN)/python .ci/audit.py

# The translations are compiled first (the tests read them); then the checks run beside the whole suite: mypy keeps
# one core busy while the suite's first worker builds the test world and the second waits for it (docs/TESTING.md;
# its time in docs/PERFORMANCE.md, "The test suite"). Any failure fails `make test`.
test: install chromium messages
	$(MAKE) --no-print-directory --jobs=6 --output-sync=target lint typecheck audit migrations-check suite

suite: install chromium messages
	$(BIN)/pytest -n 2 --dist loadgroup

migrations-check: install
	$(BIN)/tilannekuva makemigrations --check --dry-run -v0

# The dashboard benchmark's load generator is wrk, a second process on loopback (Debian package `wrk`).
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	@test -d bench && $(BIN)/python -m bench || echo "No benchmarks yet."

# The README's pictures (docs/img/), made again from the demo in a database of its own (scripts/readme_pictures.py).
pictures: install messages chromium
	$(BIN)/python scripts/readme_pictures.py

clean:
	rm -rf $(VENV) .uv db.sqlite3 staticfiles
