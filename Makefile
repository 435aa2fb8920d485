# taiyaku: `make build` and `make test` set everything up on a fresh Debian 12 machine, then run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Debian packages: Japanese fonts, HarfBuzz subsetting (30x faster PDF writing), Pango, a Latin serif,
# and poppler-utils for the tests' PDF inspection.
APT_PACKAGES := fonts-noto-cjk fonts-noto-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
STAMP := $(VENV)/.installed

.PHONY: setup build test bench clean

setup: $(STAMP)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else \
	    echo "error: please install these Debian packages as root: $$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "error: apt-get could not install: $$missing" >&2; exit 1; }; \
	fi

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

build: setup
	$(PY) build.py

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_check.py

clean:
	rm -rf build .pytest_cache
