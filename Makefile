# The guide's two commands, `make run` and `make test`, each set themselves up from scratch.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
LANGS := zh es en
MO := $(foreach l,$(LANGS),translations/$(l)/LC_MESSAGES/messages.mo)

.PHONY: run test translations extract-messages check lint clean

run: $(STAMP) $(MO)
	$(BIN)/flask --app web run --host $(HOST) --port $(PORT)

test: $(STAMP) $(MO)
	$(BIN)/pytest

translations: $(MO)

# Install (again) whenever the package's dependencies change.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# For developers: refresh messages.pot from the code, then merge it into every catalog.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --no-wrap --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --omit-header

check: $(STAMP) $(MO)
	$(BIN)/flask --app web content check

lint: $(STAMP)
	$(BIN)/ruff check web tests bench

clean:
	rm -rf $(VENV) instance $(MO)
