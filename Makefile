# The guide's two commands, `make run` and `make test`, each set themselves up from scratch.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The test tools (Playwright, Selenium, hypothesis, ruff...) only where they are used: `make run`
# and production install what serving needs, nothing more.
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
LANGS := zh es en
MO := $(foreach l,$(LANGS),translations/$(l)/LC_MESSAGES/messages.mo)

.PHONY: run test bench icons nginx-headers translations server extract-messages check lint clean

# Absolute links (canonical, hreflang, og:url, the sitemap) name the address the guide is served
# at; give GUIDE_SITE_URL=https://… to name another (e.g. a tunnel in front of it). Listening on
# every interface (0.0.0.0, ::) is no address a browser can open: the links name loopback then.
SITE_HOST := $(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST))
GUIDE_SITE_URL ?= http://$(SITE_HOST):$(PORT)

# Exported rather than written before the command: a command line with no shell syntax is run
# by make itself, with no shell between, so Ctrl-C stops the server quietly (a shell killed by
# the signal makes make print "*** [run] Interrupt").
run: export GUIDE_SITE_URL := $(GUIDE_SITE_URL)
run: $(STAMP) $(MO)
	$(BIN)/flask --app web run --host $(HOST) --port $(PORT)

test: $(TEST_STAMP) $(MO)
	$(BIN)/pytest

translations: $(MO)

# A server's checkout (docs/deploy.md): the translations, and Python's bytecode compiled ahead,
# since the service can't write it at run time (ProtectSystem=strict); without it every worker
# compiles its modules again at each start (1.1 s more, measured).
server: $(STAMP) $(MO)
	$(BIN)/python -m compileall -q $(VENV)/lib web >/dev/null

# Measure bytes, slow-network times, server load and Lighthouse; writes docs/performance.md.
# Not part of `make test`; installs what it needs (wrk, chromium, lighthouse) when missing.
bench: $(TEST_STAMP) $(MO) bench/node_modules/.bin/lighthouse
	@command -v wrk >/dev/null && command -v chromium >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk chromium)
	$(BIN)/python -m bench.run

bench/node_modules/.bin/lighthouse: bench/package.json
	cd bench && npm install --no-audit --no-fund --silent
	touch $@

# Redraw the PNG icons and share cards from web/static/icons/icon.svg (Chromium, pngquant,
# optipng; the Chinese card needs a CJK font).
icons: $(TEST_STAMP) $(MO)
	@command -v pngquant >/dev/null && command -v optipng >/dev/null && command -v chromium >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pngquant optipng chromium)
	@fc-list :lang=zh | grep -q . || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk)
	$(BIN)/python tools/icons.py

# Rewrite the nginx security-header include from web/security.py (a test checks it is current).
nginx-headers: $(STAMP)
	$(BIN)/flask --app web nginx-headers > deploy/nginx/guide-security-headers.conf

# Install (again) whenever the package's dependencies change. Lean, for a newcomer's disk
# (tests/test_make_run.py holds it under 100 MB): no setuptools (Python 3.11's venv brings it,
# but builds get their own), and no bytecode compiled ahead for all of SQLAlchemy, Babel and pip:
# Python caches what it imports as it runs (docs/deploy.md compiles ahead on a server, where the
# service can't write it).
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip uninstall --quiet --yes setuptools 2>/dev/null || true
	$(BIN)/python -m pip install --quiet --no-compile -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# For developers: refresh messages.pot from the code, then merge it into every catalog.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --no-wrap --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap

check: $(STAMP) $(MO)
	$(BIN)/flask --app web content check

lint: $(TEST_STAMP)
	$(BIN)/ruff check web tests bench tools

clean:
	rm -rf $(VENV) instance $(MO) bench/node_modules
