# After `git clone`: `make run` starts the assistant, `make test` runs every test.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
WIDGET := bot/widget

.PHONY: run test setup lint train clean

run: setup
	@$(PY) -m bot.serve

test: setup
	@echo "[test] ruff"
	@$(VENV)/bin/ruff check .
	@echo "[test] pytest (unit, actions, Rasa checks, end-to-end)"
	@$(PY) -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed $(WIDGET)/node_modules/.installed

$(VENV)/.installed: requirements.lock
	@echo "[setup] Python 3.10 virtual environment in $(VENV)"
	@test -x $(PY) || "$$(scripts/find-python310.sh)" -m venv $(VENV)
	@echo "[setup] installing pinned requirements (first time: about 3 minutes)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

$(WIDGET)/node_modules/.installed: $(WIDGET)/package-lock.json
	@echo "[setup] widget's browser dependencies (npm ci)"
	@cd $(WIDGET) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

train: setup
	@$(PY) -m bot.train

lint: setup
	@$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) models results $(WIDGET)/node_modules .pytest_cache
