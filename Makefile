# Two commands from a fresh clone: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export AWS_ACCOUNT_ID_ENDPOINT_MODE := disabled
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint typecheck pytest synth bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	PORT=$(PORT) $(BIN)/python -m devserver

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

synth: $(STAMP)
	cd infra && ../$(BIN)/python app.py

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) infra/cdk.out infra/chalice.out .mypy_cache .ruff_cache .pytest_cache

# Bring notifications back from the dead-letter queue once the cause is fixed (see
# chalicelib/ops/redrive.py): make redrive ARGS="notify --dry-run" | ARGS="relay"
redrive: $(STAMP)
	$(BIN)/python -m chalicelib.ops.redrive $(or $(ARGS),notify)
