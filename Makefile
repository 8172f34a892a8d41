# GridWhistle — the two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
MODEL := instance/model/classifier.joblib
export PYTHONUNBUFFERED := 1
# A bare `make` lists the targets instead of installing anything.
.DEFAULT_GOAL := help

.PHONY: help run test install model train evaluate bench drill lint clean reset-demo migrate seed-history

$(BIN)/activate: requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

## Create .venv and install requirements.txt (the other targets do this first)
install: $(BIN)/activate

# The artifact and its detached digest come together; a model without its .sha256 (trained before
# the digest existed) is refused by the loader, so it is retrained. It is also retrained whenever the
# training data changes (a pull that brings new pools must not leave a stale model behind), and when
# the text normaliser changes (the features are computed on its output; the loader also refuses a
# model whose header names another NORMALIZER_VERSION).
TRAINING_DATA := $(wildcard classifier/data/*.csv classifier/data/extra/*.csv classifier/data/userdict.txt)
$(MODEL).sha256: $(TRAINING_DATA) classifier/normalize.py classifier/dialect.py | $(BIN)/activate
	$(BIN)/python -m classifier train

## Train the classifier if instance/model has none yet or its training data changed
model: $(MODEL).sha256

## Start the bot, the in-process worker and the local WeChat sandbox on http://127.0.0.1:5000
run: install model
	$(BIN)/python -m bot.local.sandbox

## Play a year of the demo district's history into the database (idempotent; make run does it on its first start)
seed-history: install
	$(BIN)/flask --app 'bot.app:create_app()' seed-history --days 365

## The whole test suite in parallel (pytest-xdist; real PostgreSQL + Redis when reachable, required
## when CI is set). One worker per core, at most 4: each holds one of Redis's 15 test databases.
## TEST_WORKERS=0 runs it in one process; PYTEST_ARGS adds pytest options (say, a folder).
TEST_WORKERS ?= auto
test: install model
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

## Retrain the classifier, learning from grid leaders' corrections
train: install
	$(BIN)/flask --app 'bot.app:create_app()' init-db
	$(BIN)/flask --app 'bot.app:create_app()' export-corrections instance/corrections.jsonl
	$(BIN)/python -m classifier train --extra instance/corrections.jsonl

## Accuracy of the classifier on the evaluation sets
evaluate: install model
	$(BIN)/python -m classifier evaluate

## Benchmarks; figures go to stdout and bench/results/
bench: install model
	$(BIN)/python -m bench

## Fault drill (~5 min): private PostgreSQL + Redis + fake WeChat API, gunicorn and RQ workers;
## kills, restarts and API faults under traffic; PASS/FAIL per scenario, non-zero exit on any FAIL
drill: install model
	$(BIN)/python -m drill

## ruff over the whole tree
lint: install
	$(BIN)/ruff check .

## Delete the local SQLite database and pytest's cache
clean:
	rm -rf instance/gridwhistle.db* .pytest_cache

## Start the demo over: drop every table of the database, forget the bot's Redis keys, migrate and
## seed the demo district again (sandbox history, moved clock and tickets go). Stop `make run` first.
reset-demo: install
	$(BIN)/python -m bot.local.sandbox.reset

## Bring the database schema to the newest migration (flask init-db through the venv)
migrate: install
	$(BIN)/flask --app 'bot.app:create_app()' init-db

## This list: every target with its ## comment
help:
	@awk '/^## /{ doc = doc (doc ? " " : "") substr($$0, 4); next } \
	     /^[a-z][a-z-]*:/{ if (doc) { split($$0, t, ":"); printf "  make %-12s %s\n", t[1], doc } doc = ""; next } \
	     /^[A-Z_]+ *[?:]?=/{ next } { doc = "" }' $(MAKEFILE_LIST)
