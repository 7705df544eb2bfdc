# Two commands do all set-up on a fresh machine with Python 3.11+ (and Node 20 for the editor client):
#   make demo   - create .venv, install qwen-ls, run `qwen-ls check` on the bundled example
#   make test   - the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install lint bench schema clean vscode-unit oracle

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The demo runs with HOME=examples/home, whose .qwen/.env holds obviously fake keys.
demo: install
	@echo "== qwen-ls check examples/broken/.qwen/settings.json  (twenty mistakes; exits 1)"
	-@HOME=$(CURDIR)/examples/home $(VENV)/bin/qwen-ls check examples/broken/.qwen/settings.json
	@echo
	@echo "== qwen-ls check examples/coding-plan examples/api-key  (clean; exits 0)"
	@HOME=$(CURDIR)/examples/home $(VENV)/bin/qwen-ls check \
		examples/coding-plan/.qwen/settings.json examples/api-key/.qwen/settings.json

lint: install
	$(PY) -m ruff check qwen_ls tests bench

# The editor client's unit tests first, so that pytest's summary (which includes the real-VS-Code
# end-to-end test, tests/e2e/test_vscode_extension.py) is the last line of the run.
test: install lint vscode-unit oracle
	$(PY) -m pytest

# The real Qwen Code CLI, pinned in tests/oracle/package-lock.json: the differential suite
# (tests/oracle) runs its own modules. Optional native add-ons and install scripts are skipped.
ORACLE_STAMP := tests/oracle/node_modules/.installed-stamp
$(ORACLE_STAMP): tests/oracle/package-lock.json
	# npm ci rejects this lock file (npm records no entry for optional platform packages that
	# the registry lacks), so install from it with npm install, which still verifies integrity.
	cd tests/oracle && npm install --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(ORACLE_STAMP)

oracle: $(ORACLE_STAMP)

vscode-unit:
	cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error && npm test

bench: install
	$(PY) bench/bench_analysis.py

schema: install
	$(VENV)/bin/qwen-ls schema > qwen_ls/settings/settings.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
