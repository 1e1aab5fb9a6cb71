# Rasa and the action server run in their own Python 3.10 environment
# (Rasa 3.6 does not run on newer Pythons); nothing else imports from it.
RASA_VENV := .venv-rasa
# The first candidate that really runs Python 3.10 (a pyenv shim named
# python3.10 can exist and still refuse to run when 3.10 is not selected).
PYTHON310 ?= $(shell for p in python3.10 /root/.pyenv/versions/3.10.13/bin/python \
	/root/.pyenv/versions/3.10.*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1 && \
	{ command -v "$$p"; break; }; done)
RASA_PY := $(RASA_VENV)/bin/python
RASA := PYTHONPATH=. $(RASA_VENV)/bin/rasa
RASA_MODEL := models/aduan.tar.gz
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
# Rasa's HTTP API (--enable-api) has no auth here: loopback unless told otherwise.
RASA_INTERFACE ?= 127.0.0.1
# The action server holds the backend service token: loopback unless told otherwise.
ACTIONS_INTERFACE ?= 127.0.0.1
# What the model is trained from: a change to any of these retrains it.
RASA_SOURCES := bot/config.yml $(shell find bot/domain bot/data nlu_data bot/components \
	-type f \( -name '*.yml' -o -name '*.py' -o -name '*.tsv' \) 2>/dev/null) actions/tickets.py \
	actions/words.py

# Rasa reads these through ${...} in bot/endpoints*.yml. No telemetry: it
# would reach the internet.
export RASA_TELEMETRY_ENABLED := false
export ACTION_SERVER_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export RASA_TRACKER_STORE_URL ?= sqlite:///var/rasa-tracker.db
export BACKEND_URL ?= http://127.0.0.1:8000
RASA_ENDPOINTS := $(if $(REDIS_URL),bot/endpoints.redis.yml,bot/endpoints.yml)

.PHONY: rasa-setup rasa-model rasa-test rasa actions rasa-validate rasa-test-actions \
	rasa-test-stories rasa-test-nlu rasa-lint

$(RASA_VENV)/.stamp: requirements-rasa.lock
	@test -n "$(PYTHON310)" || { echo "error: Rasa 3.6 needs Python 3.10, and no python3.10 was found on PATH or in /root/.pyenv/versions/3.10.13. Install Python 3.10 and retry."; exit 1; }
	$(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-rasa.lock
	@touch $@

rasa-setup: $(RASA_VENV)/.stamp ## Create the Rasa environment (.venv-rasa, Python 3.10)

$(RASA_MODEL): $(RASA_VENV)/.stamp $(RASA_SOURCES)
	@mkdir -p models var
	@start=$$(date +%s); \
	$(RASA) train --config bot/config.yml --domain bot/domain --data bot/data nlu_data \
		--out models --fixed-model-name aduan --quiet && \
	echo "trained $(RASA_MODEL) in $$(( $$(date +%s) - start )) s"
	@touch $@

rasa-model: $(RASA_MODEL) ## Train the Rasa model when its data changed

rasa-validate: rasa-setup ## rasa data validate, failing on any warning
	$(RASA_PY) tests/rasa/validate.py

rasa-test-actions: rasa-setup ## Action unit tests with saved trackers (fake backend)
	$(RASA_PY) -m pytest -q -p no:cacheprovider -o addopts= --confcutdir=tests/actions \
		--rootdir=. tests/actions

rasa-test-stories: $(RASA_MODEL) ## Test stories, failing on any prediction error
	@mkdir -p var/rasa-results
	$(RASA) test core --model $(RASA_MODEL) --stories tests/rasa/stories \
		--endpoints bot/endpoints.test.yml --fail-on-prediction-errors \
		--out var/rasa-results --no-plot

rasa-test-nlu: $(RASA_MODEL) ## Intent/category F1 on the held-out set, with floors
	PYTHONPATH=. $(RASA_PY) tests/rasa/evaluate_nlu.py --model $(RASA_MODEL)

rasa-test: rasa-validate rasa-model rasa-test-actions rasa-test-stories rasa-test-nlu ## Rasa checks: data validate, test stories, NLU floors

rasa: $(RASA_MODEL) ## Start the Rasa server (port 5005; REDIS_URL, SANIC_WORKERS, RASA_TRACKER_STORE_URL)
	@mkdir -p var
	$(RASA) run --model $(RASA_MODEL) --endpoints $(RASA_ENDPOINTS) --interface $(RASA_INTERFACE) \
		--credentials bot/credentials.yml --port $(RASA_PORT) --enable-api

actions: rasa-setup ## Start the action server (port 5055; BACKEND_URL, BACKEND_SERVICE_TOKEN)
	SANIC_HOST=$(ACTIONS_INTERFACE) $(RASA_PY) -m rasa_sdk --actions actions --port $(ACTIONS_PORT)
