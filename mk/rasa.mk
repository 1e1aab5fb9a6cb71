# Rasa and the action server run in their own Python 3.10 environment
# (Rasa 3.6 does not run on newer Pythons); nothing else imports from it.
RASA_VENV := .venv-rasa
PYTHON310 ?= $(shell command -v python3.10 2>/dev/null || \
	{ test -x /root/.pyenv/versions/3.10.13/bin/python && echo /root/.pyenv/versions/3.10.13/bin/python; })

.PHONY: rasa-setup rasa-model rasa-test rasa actions

$(RASA_VENV)/.stamp: requirements-rasa.lock
	@test -n "$(PYTHON310)" || { echo "error: Rasa 3.6 needs Python 3.10, and no python3.10 was found on PATH or in /root/.pyenv/versions/3.10.13. Install Python 3.10 and retry."; exit 1; }
	$(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-rasa.lock
	@touch $@

rasa-setup: $(RASA_VENV)/.stamp ## Create the Rasa environment (.venv-rasa, Python 3.10)

rasa-model: rasa-setup ## Train the Rasa model when its data changed

rasa-test: rasa-setup ## Rasa checks: data validate, test stories, NLU floors
