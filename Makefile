# Two commands for people: `make run` and `make test`. Everything else is plumbing.
# Needs only python3 and make: uv is installed into .tools/ when it is not on PATH.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PROJECT_ENVIRONMENT := .venv
RUN := $(UV) run --frozen --no-sync

.PHONY: run test lint format env browser bench clean

run: env
	$(RUN) python -m config.launcher

test: env browser
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

# Debian's Chromium (and CJK fonts) for the browser tests: installed when missing.
browser:
	@bash scripts/ensure-chromium

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

clean:
	rm -rf .venv .tools .local
