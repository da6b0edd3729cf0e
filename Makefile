# Two commands for a newcomer: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: install install-test compile run test check lint bench clean constraints catalogs

# Every install goes through constraints.txt: the versions the tests last passed with.
PIP := $(PY) -m pip install --quiet -c constraints.txt

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml constraints.txt
	$(PIP) -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Bytecode for our own modules: an editable install writes none, and where Python
# may not write it either (PYTHONDONTWRITEBYTECODE) every command would compile
# them again (60 ms of each start). Cheap; rerun after every pull.
compile: install
	$(PY) -m compileall -q ledger ui app.py

install-test: $(VENV)/.installed-test

# The translation catalogs (ledger/locale): every message marked with _(), N_() or said()
# extracted, then each language's catalog brought up to date; translate what is new
# (msgstr "") and what Babel marks fuzzy. tests/test_language.py fails until done.
catalogs: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k said --no-wrap --sort-by-file --omit-header \
	  -o ledger/locale/messages.pot ledger ui app.py
	$(VENV)/bin/pybabel update -i ledger/locale/messages.pot -d ledger/locale --no-wrap \
	  --ignore-obsolete

# Listens on this machine only; `make run ADDRESS=0.0.0.0` to serve others (see
# "Run it for a team" in the README for a proxy in front).
ADDRESS ?= 127.0.0.1
run: compile
	$(VENV)/bin/streamlit run app.py --server.address $(ADDRESS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The quick loop: lint, types, and every test that needs no browser, no PostgreSQL
# and no long property run (markers in pyproject.toml), on every core. About a minute
# on a 2-core machine; `make test` runs everything, one test at a time.
check: lint
	$(PY) -m pytest -q -n auto -m "not browser and not postgres and not slow"

# Everything, in two runs: the tests that share nothing on both cores, then those
# that drive a browser or share the test PostgreSQL one at a time (each run prints
# its slowest tests). The store tests run against PostgreSQL too when it is installed:
# tools/start-postgres.sh starts this checkout's own throwaway server on 127.0.0.1,
# and it is stopped when the tests end, passed or failed. CI installs it (.ci/run).
test: lint
	@started=""; \
	if [ -z "$$LEDGER_TEST_DATABASE_URL" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  LEDGER_TEST_DATABASE_URL=$$(bash tools/start-postgres.sh) || exit 1; \
	  export LEDGER_TEST_DATABASE_URL; started=1; \
	fi; \
	$(PY) -m pytest -q -n 2 -m "not browser and not postgres" --durations=10; status=$$?; \
	$(PY) -m pytest -q -m "browser or postgres" --durations=10 || status=1; \
	if [ -n "$$started" ]; then bash tools/stop-postgres.sh; fi; \
	exit $$status

# Write constraints.txt anew from a fresh environment with every extra installed.
constraints:
	rm -rf /tmp/ledger-constraints-venv
	$(PYTHON) -m venv /tmp/ledger-constraints-venv
	/tmp/ledger-constraints-venv/bin/pip install --quiet -e '.[test,bench]'
	/tmp/ledger-constraints-venv/bin/pip freeze --exclude-editable \
	  | grep -v '^-e' > constraints.body
	{ sed -n '1,3p' constraints.txt; cat constraints.body; } > constraints.txt.new
	mv constraints.txt.new constraints.txt; rm -f constraints.body

$(VENV)/.installed-bench: $(VENV)/.installed-test pyproject.toml constraints.txt
	$(PIP) -e '.[test,bench]'
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
