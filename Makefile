# Two commands: `make run` (set up and serve) and `make test` (set up and check everything).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

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

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("newsmeta needs Python 3.11+ (set PYTHON=python3.11)") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,embedded]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .newsmeta .pytest_cache .mypy_cache .ruff_cache
