# Confide: `make run` serves the app with demo content; `make test` runs every check.
VENV := .venv
BIN := $(VENV)/bin
CONFIDE := $(BIN)/confide
PYTHONS := python3 python3.12 python3.13 python3.14

.PHONY: run test lint types pytest chromium redis clean

$(BIN)/python:
	@py=""; for c in $(PYTHONS); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py=$$c; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "Confide needs Python 3.12 or newer, and none was found (python3 is $$(python3 --version 2>&1))."; \
	  echo "Install Python 3.12 (for example 'pyenv install 3.12' or your system's python3.12 package) and run this again."; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$($$py --version)"; \
	$$py -m venv $(VENV)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(VENV) holds a Python older than 3.12: remove it ('make clean') and run this again."; exit 1; }

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

run: $(VENV)/.installed
	$(CONFIDE) migrate --no-input
	$(CONFIDE) demo
	@echo "Log in at http://127.0.0.1:8000 with one of the demo accounts above."
	$(CONFIDE) serve --with-worker

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's 'chromium' package. Install it: sudo apt-get install chromium"; \
	    exit 1; \
	  fi; \
	fi

# The scale-out test starts its own redis-server (confide/dialogue/tests/test_scale_out.py).
redis:
	@if ! command -v redis-server >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's redis-server for the scale-out test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "The scale-out test needs Debian's 'redis-server' package. Install it: sudo apt-get install redis-server"; \
	    exit 1; \
	  fi; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.installed-test
	$(BIN)/mypy confide tests

pytest: $(VENV)/.installed-test chromium redis
	$(BIN)/pytest

test: lint types pytest

clean:
	rm -rf $(VENV)
