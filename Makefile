# taiyaku: `make build` and `make test` set everything up on a fresh Debian 12 machine, then run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Debian packages: Japanese fonts, HarfBuzz subsetting (30x faster PDF writing), Pango, a Latin serif,
# poppler-utils for the tests' PDF inspection, and Chromium for the browser tests.
APT_PACKAGES := fonts-noto-cjk fonts-noto-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium
# command:package, installed only when the command is missing (a machine's own Node.js already brings npm,
# and Debian's npm package would conflict with it). Java runs the Nu HTML validator.
APT_COMMANDS := java:default-jre-headless npm:npm
AXE := .cache/axe/node_modules/axe-core/axe.min.js
STAMP := $(VENV)/.installed

.PHONY: setup system build test bench clean screenshots

setup: system $(STAMP) $(AXE)

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done; \
	  for c in $(APT_COMMANDS); do command -v $${c%%:*} >/dev/null || echo $${c#*:}; done); \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else \
	    echo "error: please install these Debian packages as root: $$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "error: apt-get could not install: $$missing" >&2; exit 1; }; \
	fi

$(STAMP): pyproject.toml | system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# axe-core for the accessibility tests, from the npm registry, kept out of the repository.
$(AXE): | system
	npm install --prefix .cache/axe --no-audit --no-fund --loglevel=error axe-core@4.14.1

build: setup
	$(PY) build.py

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_check.py
	$(PY) benchmarks/bench_pdf.py

screenshots: setup
	TAIYAKU_SCREENSHOTS=docs/images $(PY) -m pytest -q tests/browser -k screenshots

clean:
	rm -rf build .pytest_cache
