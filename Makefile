# After `git clone`: `make run` starts the assistant, `make test` runs every test.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
WIDGET := bot/web/widget

.PHONY: run run-prod test setup browser services lint train user clean export forget bench bench-catalog bench-catalog-chat eval eval-understanding eval-knowledge eval-orders messages demo-data

run: setup
	@$(PY) -m bot.runner.serve

# The production profile on one machine: PostgreSQL, Redis, N Rasa processes behind nginx (docs/deploy.md).
run-prod: setup services
	@$(PY) -m bot.runner.serve --production

test: setup browser services
	@echo "[test] ruff"
	@$(VENV)/bin/ruff check .
	@echo "[test] import contracts (the layers in pyproject.toml)"
	@$(VENV)/bin/lint-imports --no-cache
	@echo "[test] mypy (lifecycle, actions, bot, tests, eval, bench)"
	@$(VENV)/bin/mypy
	@echo "[test] pytest (unit, actions, Rasa checks, end-to-end)"
	@$(PY) -m pytest --durations=15 $(PYTEST_ARGS)

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

# Browser tests drive Debian's Chromium; Playwright never downloads a browser here.
browser:
	@test -x /usr/bin/chromium || { echo "[setup] installing Debian's chromium for the browser tests"; \
		(apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
		|| { echo "[setup] could not install chromium: run 'sudo apt-get install chromium' and retry"; exit 1; }; }

# The production profile and the tests that claim them start real servers: Debian's packages,
# installed when missing and run under var/ (or a test's folder), never as system services.
services:
	@scripts/apt-ensure.sh redis-server redis-server "Redis: lock store and socket.io manager"
	@scripts/apt-ensure.sh nginx nginx "nginx: the production profile's front"
	@test -n "$$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null)" || \
		scripts/apt-ensure.sh /usr/lib/postgresql/15/bin/pg_ctl postgresql "PostgreSQL: the production stores"

# Create a console user: make user NAME=ann ROLE=support [DISPLAY="Ann"] (asks for the password)
user: setup
	@$(PY) -m bot.runner.cli create-user "$(NAME)" --role "$(ROLE)" --display-name "$(DISPLAY)"

# Personal data: make export VISITOR=v-123 > person.json ; make forget VISITOR=v-123
export: setup
	@$(PY) -m bot.runner.cli export "$(VISITOR)"

forget: setup
	@$(PY) -m bot.runner.cli forget "$(VISITOR)"

# Load benchmark against the running `make run` (and Rasa's stock bot, side by side): see bench/load.py
bench: setup
	@$(PY) -m bench.load $(BENCH_ARGS)

# A 10,000-product Shopify export: import, start-up, query p95 and memory against the demo shop (docs/catalog.md)
bench-catalog: setup
	@$(PY) -m bench.catalog

# Chat msg/s with a 10,000-product catalog against the demo's, beside Rasa's stock bot (about 6 minutes)
bench-catalog-chat: setup
	@$(PY) -m bench.catalog_chat

train: setup
	@$(PY) -m bot.runner.train

lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/lint-imports --no-cache
	@$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) models results $(WIDGET)/node_modules .pytest_cache

# Shopper questions and conversations against the running `make run`, facts checked (eval/questions.yml)
eval: setup
	@$(PY) -m eval.run --show-misses

# Issue 21's held-out set (five languages, per kind and per language), against the running `make run`
# The shop's own answers on held-out questions (docs/knowledge.md); needs no running assistant
eval-knowledge: setup
	@$(PY) -m eval.knowledge

# Issue 23's held-out order conversations (five languages), against the running `make run`
eval-orders: setup
	@$(PY) -m eval.orders --show-misses

eval-understanding: setup
	@$(PY) -m eval.run --questions eval/understanding.yml --show-misses

# After changing what the assistant or the widget says: the message template all five catalogs follow
# (tests/lifecycle/test_speech.py fails until the template and every translation are current).
# 90 days of the demo shop's activity in the lifecycle store, so the consoles have something to show.
demo-data: setup
	@$(PY) -m bot.runner.cli demo-data $(if $(SEED),--seed $(SEED))

messages: setup
	@$(VENV)/bin/pybabel extract -k say -k say_n:1,2 --no-default-keywords --no-location --sort-output \
		--omit-header -o data/locales/shopmate.pot actions bot/web/labels.py bot/web/scheduler.py lifecycle/shop/speech.py \
		lifecycle/mail
	@for lang in it sv pl ro; do $(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete --width 120 \
		-i data/locales/shopmate.pot -d data/locales -D shopmate -l $$lang; done
