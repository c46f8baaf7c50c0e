# The two set-up commands are `make run` and `make test`; each installs what it needs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test bench fuzz lint screenshots browser

# A busy port stops here with one sentence and the fix (make run PORT=8502), not with Streamlit's traceback.
run: $(VENV)/.runtime-installed
	@$(BIN)/python -m tools.check_port $(PORT)
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev-installed browser
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium (/usr/bin/chromium); `playwright install` cannot download here.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium fonts-liberation)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation; \
	  else \
	    echo "Chromium is missing, so the browser tests (tests/e2e) will fail. Install it once with:" >&2; \
	    echo "  sudo apt-get install chromium fonts-liberation" >&2; \
	  fi; \
	fi

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

# First use: each step says what it does, and pip shows every package as it downloads (a few minutes).
$(VENV)/bin/python:
	@echo "Step 1 of 3: making a Python environment in $(VENV)/ ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.runtime-installed: requirements.txt pyproject.toml $(VENV)/bin/python
	@echo "Step 2 of 3: installing the dashboard's libraries (requirements.txt) ..."
	$(BIN)/python -m pip install -r requirements.txt
	@echo "Step 3 of 3: installing the 'mentoring' command ($(BIN)/mentoring) ..."
	$(BIN)/python -m pip install --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt pyproject.toml $(VENV)/bin/python
	@echo "Step 2 of 3: installing the dashboard's and the tests' libraries (requirements-dev.txt) ..."
	$(BIN)/python -m pip install -r requirements-dev.txt
	@echo "Step 3 of 3: installing the 'mentoring' command ($(BIN)/mentoring) ..."
	$(BIN)/python -m pip install --no-deps -e .
	touch $@ $(VENV)/.runtime-installed

screenshots: $(VENV)/.dev-installed
	$(BIN)/python -m tools.screenshots
