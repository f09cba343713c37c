# Two commands: `make run` (set up and serve) and `make test` (set up and check everything).
# PYTHON: any Python 3.11, 3.12 or 3.13, a name on PATH or a path (make test PYTHON=python3.13).
# VENV: one per Python if you switch often (make test PYTHON=python3.13 VENV=.venv-3.13).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# PYTHON itself if it runs, else pyenv's build of that name (a pyenv shim on PATH for a version
# that is not selected does not run): `make test PYTHON=python3.13` works on pyenv machines too.
PYENV_ROOT_DIR := $(shell pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}")
PY := $(shell $(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null \
        || ls -d $(PYENV_ROOT_DIR)/versions/*/bin/$(PYTHON) 2>/dev/null | sort -V | tail -n 1)
# The venv remembers which Python made it: another PYTHON rebuilds it instead of reusing it.
PY_VERSION := $(if $(PY),$(shell $(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])'))
PY_MARK    := $(VENV)/.python-$(PY_VERSION)

# Local use: no API keys unless you ask for them (NEWSMETA_AUTH=on make run), and webhooks
# may call receivers on this machine (NEWSMETA_WEBHOOK_ALLOW_PRIVATE=off make run to check).
NEWSMETA_AUTH ?= off
NEWSMETA_WEBHOOK_ALLOW_PRIVATE ?= on
export NEWSMETA_AUTH NEWSMETA_WEBHOOK_ALLOW_PRIVATE

.PHONY: run test lint openapi clean

run: $(STAMP)
	$(BIN)/newsmeta serve --host 127.0.0.1 --port 8000

test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check service tests bench migrations
	$(BIN)/ruff format --check service tests bench migrations
	$(BIN)/mypy service

openapi: $(STAMP)
	$(BIN)/newsmeta openapi --output openapi/openapi.json

$(PY_MARK):
	@test -n "$(PY)" || { echo "$(PYTHON) does not run here and pyenv has none: set PYTHON to a Python 3.11+ (a name on PATH or a path)" >&2; exit 1; }
	@$(PY) -c 'import sys; sys.exit("newsmeta needs Python 3.11+, $(PYTHON) is %d.%d: set PYTHON=python3.11 (or 3.12, 3.13, or a path)" % sys.version_info[:2]) if sys.version_info < (3, 11) else None'
	$(PY) -m venv --clear $(VENV)
	touch $(PY_MARK)

$(STAMP): pyproject.toml $(PY_MARK)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,embedded]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .newsmeta .pytest_cache .mypy_cache .ruff_cache .hypothesis
