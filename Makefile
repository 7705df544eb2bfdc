# Two commands do all set-up on a fresh machine with Python 3.11+ (and Node 20 for the editor client):
#   make demo   - create .venv, install qwen-ls, run `qwen-ls check` on the bundled example
#   make test   - the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install lint bench schema clean vscode-unit oracle dist frozen vsix

# One version, in qwen_ls/__init__.py (pyproject.toml reads it; tests keep package.json equal).
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' qwen_ls/__init__.py)
# VS Code's name for this machine's platform (linux-x64, darwin-arm64, win32-x64, ...).
VSCODE_TARGET ?= $(shell node -p "process.platform + '-' + process.arch" 2>/dev/null)
PY_SOURCES := $(shell find qwen_ls -type f \( -name '*.py' -o -name '*.json' -o -name 'py.typed' \)) pyproject.toml
EXT_SOURCES := $(shell find editors/vscode/src -type f -name '*.ts') $(wildcard editors/vscode/*.json \
	editors/vscode/*.md editors/vscode/.vscodeignore editors/vscode/LICENSE editors/vscode/images/*.png \
	editors/vscode/scripts/*.mjs)
WHEEL := dist/qwen_ls-$(VERSION)-py3-none-any.whl
SDIST := dist/qwen_ls-$(VERSION).tar.gz
FROZEN := build/frozen/qwen-ls/qwen-ls
VSIX := dist/qwen-ls-$(VSCODE_TARGET).vsix

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,release,editors]'
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
# dist and vsix are built once here (the frozen server takes about a minute) and reused by the
# tests that install the wheel, run the frozen server and drive VS Code with the .vsix.
test: install lint vscode-unit oracle dist vsix
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

# The wheel and sdist (python -m build), checked with twine.
dist: $(WHEEL)
$(WHEEL) $(SDIST) &: $(STAMP) $(PY_SOURCES) README.md LICENSE
	rm -f dist/qwen_ls-*.whl dist/qwen_ls-*.tar.gz
	$(PY) -m build --outdir dist . > build-dist.log 2>&1 || { cat build-dist.log; exit 1; }
	$(PY) -m twine check --strict $(WHEEL) $(SDIST)

# The frozen server (PyInstaller onedir, packaging/qwen-ls.spec): no Python needed to run it.
frozen: $(FROZEN)
$(FROZEN): $(STAMP) $(PY_SOURCES) packaging/qwen-ls.spec packaging/frozen_main.py
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath build/frozen \
		--workpath build/pyinstaller packaging/qwen-ls.spec
	touch $@

# The per-platform .vsix that carries the frozen server: dist/qwen-ls-<platform>.vsix.
vsix: $(VSIX)
$(VSIX): $(FROZEN) $(EXT_SOURCES) editors/vscode/node_modules/.package-lock.json
	cd editors/vscode && node scripts/package-vsix.mjs --target $(VSCODE_TARGET) \
		--server ../../build/frozen/qwen-ls --out ../../$(VSIX)

editors/vscode/node_modules/.package-lock.json: editors/vscode/package-lock.json
	cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error

bench: install
	$(PY) bench/bench_analysis.py

schema: install
	$(VENV)/bin/qwen-ls schema > qwen_ls/settings/settings.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist build-dist.log
