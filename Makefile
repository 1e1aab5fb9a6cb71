# Aduan: `make help` lists the targets. `make run` and `make test` do all of
# their own set-up (virtual environments, dependencies, migrations).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON311 ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9

include mk/*.mk

.PHONY: help setup run test lint types pytest e2e backend gateway migrate lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(VENV)/.stamp: requirements.lock
	@test -n "$(PYTHON311)" || { echo "error: Python 3.11+ not found (python3.11 or python3)"; exit 1; }
	$(PYTHON311) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install -q -p $(PY) -r requirements.lock
	@touch $@

setup: $(VENV)/.stamp rasa-setup ## Create both virtual environments and the database
	$(MAKE) migrate

migrate: $(VENV)/.stamp ## Apply database migrations (DATABASE_URL, default var/aduan.db)
	@mkdir -p var
	$(PY) -m backend migrate

run: setup rasa-model var/secrets.env ## Start backend, gateway, Rasa and actions on the embedded defaults
	@scripts/run-all.sh

var/secrets.env:
	@mkdir -p var
	@scripts/make-secrets.sh > $@
	@echo "wrote local development secrets to $@"

backend: $(VENV)/.stamp ## Start the backend alone (port 8000)
	$(PY) -m backend

gateway: $(VENV)/.stamp ## Start the gateway alone (port 8080)
	$(PY) -m bot.channels

lint: $(VENV)/.stamp ## ruff on all Python code
	$(VENV)/bin/ruff check backend bot/channels actions tests bench
	$(VENV)/bin/ruff format --check backend bot/channels actions tests bench

types: $(VENV)/.stamp ## mypy on backend and gateway
	$(VENV)/bin/mypy backend bot/channels

pytest: $(VENV)/.stamp ## pytest against SQLite and PostgreSQL (all but the full stack)
	@scripts/ensure-services.sh
	@scripts/ensure-chromium.sh
	$(PY) -m pytest -m "not e2e"

e2e: $(VENV)/.stamp rasa-model ## Full-stack tests: chat apps -> gateway -> Rasa + actions -> backend
	@scripts/ensure-services.sh
	ADUAN_E2E=1 $(PY) -m pytest -m e2e

test: lint types pytest rasa-test e2e ## Every check: lint, types, pytest, Rasa, full stack
	@echo "all checks passed"

lock: $(VENV)/.stamp ## Re-pin requirements.lock from pyproject.toml
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev -p 3.11 -o requirements.lock

clean: ## Remove virtual environments and local data
	rm -rf $(VENV) $(RASA_VENV) var
