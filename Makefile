# The two set-up commands are `make run` and `make test`; each installs what it needs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test bench fuzz lint screenshots

run: $(VENV)/.runtime-installed
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.import_csv
	$(BIN)/python -m benchmarks.skills
	$(BIN)/python -m benchmarks.matching
	$(BIN)/python -m benchmarks.analytics
	$(BIN)/python -m benchmarks.moderator_week

fuzz: $(VENV)/.dev-installed
	FUZZ_EXAMPLES=3000 $(BIN)/python -m pytest -q -s tests/unit/test_fuzz.py tests/unit/test_concurrency.py
	$(BIN)/python -m tools.crash_check --kills 20

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

screenshots: $(VENV)/.dev-installed
	$(BIN)/python -m tools.screenshots
