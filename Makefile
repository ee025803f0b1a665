# Two commands for people: `make run` and `make test`. Everything else is plumbing.
# Needs only python3 and make: uv is installed into .tools/ when it is not on PATH.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PROJECT_ENVIRONMENT := .venv
RUN := $(UV) run --frozen --no-sync

.PHONY: run test lint format env test-tools messages bench clean

run: env
	$(RUN) python -m config.launcher

test: env test-tools
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(RUN) python manage.py makemigrations --check --dry-run
	$(RUN) pytest
	@echo "The same suite with the clock 400 days ahead: nothing may assume what today is."
	$(RUN) pytest --clock-days=400

lint: env
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: env
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

env: .venv/.synced

# Debian's Chromium, CJK fonts and gettext for the tests: installed when missing.
test-tools:
	@bash scripts/ensure-test-tools

# After marking strings: add them to the zh_Hans catalogue, translate, then compile.
# tests/test_translations.py fails on any string missing, untranslated or fuzzy.
messages: env
	DJANGO_SETTINGS_MODULE=config.settings.test $(RUN) python manage.py makemessages -l zh_Hans \
		--add-location=file --no-wrap --no-obsolete --ignore='*/tests/*' --ignore=.venv \
		--ignore=.tools --ignore=.local --ignore=benchmarks --ignore=docs --ignore=scripts \
		--ignore=tests
	DJANGO_SETTINGS_MODULE=config.settings.test $(RUN) python manage.py compilemessages -l zh_Hans \
		--ignore=.venv --ignore=.tools

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

clean:
	rm -rf .venv .tools .local
