# Two commands for a newcomer: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: install install-test compile run test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Bytecode for our own modules: an editable install writes none, and where Python
# may not write it either (PYTHONDONTWRITEBYTECODE) every command would compile
# them again (60 ms of each start). Cheap; rerun after every pull.
compile: install
	$(PY) -m compileall -q ledger ui app.py

install-test: $(VENV)/.installed-test

# Listens on this machine only; `make run ADDRESS=0.0.0.0` to serve others (see
# "Run it for a team" in the README for a proxy in front).
ADDRESS ?= 127.0.0.1
run: compile
	$(VENV)/bin/streamlit run app.py --server.address $(ADDRESS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The store tests run against PostgreSQL too when it is installed (tools/start-postgres.sh
# starts a throwaway server on 127.0.0.1); CI installs it, see .ci/run.
test: lint
	@if [ -z "$$LEDGER_TEST_DATABASE_URL" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  export LEDGER_TEST_DATABASE_URL=$$(bash tools/start-postgres.sh); \
	fi; $(PY) -m pytest

$(VENV)/.installed-bench: $(VENV)/.installed-test pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

# Timings print figures; nothing here passes or fails on time.
bench: $(VENV)/.installed-bench compile
	$(PY) -m bench
	$(PY) -m bench.startup
	$(PY) -m bench.hledger
	$(PY) -m bench.floor_ratio
	$(PY) -m bench.browser
	$(PY) -m bench.app_rerun
	$(PY) -m bench.synthetic 100000 > /tmp/ledger-bench-100k.csv
	$(PY) -m bench.app_rerun /tmp/ledger-bench-100k.csv
	$(PY) -m bench.app_upload /tmp/ledger-bench/flows-1000000.csv
	$(PY) -m pytest bench --benchmark-only -q -p no:cacheprovider
	$(PY) -m bench.hostile

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
