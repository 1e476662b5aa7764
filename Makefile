# Two commands from a fresh clone: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two install levels, one venv: `make run` installs requirements-run.txt (the Lambda's
# dependencies, chalice, moto: ~300 MB); `make test` (and synth, bench…) requirements-dev.txt,
# which includes it and adds the toolchain (CDK, Playwright, mypy, cfn-lint: ~1 GB more). A
# stamp per level, so a venv `make run` made is completed, not rebuilt, by `make test`.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-dev
PORT ?= 8000
export AWS_ACCOUNT_ID_ENDPOINT_MODE := disabled
export PYTHONDONTWRITEBYTECODE := 1
# The browser tests and the web benchmark drive Debian's Chromium (Playwright never
# downloads a browser here); `make test` installs it when it is missing.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint typecheck pytest synth bench clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# pip is not quiet: a first install takes a minute or more, and its lines are the progress.
$(RUN_STAMP): requirements.txt requirements-run.txt | $(BIN)/python
	@echo "make: installing the runtime, chalice and moto into $(VENV) (requirements-run.txt)"
	$(BIN)/python -m pip install -r requirements-run.txt
	touch $@

# requirements-dev.txt includes requirements-run.txt: this level also brings the run level
# up to date.
$(STAMP): requirements.txt requirements-run.txt requirements-dev.txt | $(BIN)/python
	@echo "make: installing the runtime and the whole toolchain into $(VENV) (requirements-dev.txt)"
	$(BIN)/python -m pip install -r requirements-dev.txt
	touch $(RUN_STAMP) $@

run: $(RUN_STAMP)
	PORT=$(PORT) $(BIN)/python -m devserver

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
		chromium fonts-dejavu-core >/dev/null

pytest: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q

synth: $(STAMP)
	cd infra && ../$(BIN)/python app.py

bench: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) infra/cdk.out infra/chalice.out .mypy_cache .ruff_cache .pytest_cache

# Bring notifications back from the dead-letter queue once the cause is fixed (see
# chalicelib/notifications/redrive.py): make redrive ARGS="notify --dry-run" | ARGS="relay"
redrive: $(RUN_STAMP)
	$(BIN)/python -m chalicelib.notifications.redrive $(or $(ARGS),notify)

# Phone-size screenshots of the web client's main pages, Arabic and French, into
# docs/screenshots/ (the README shows them); needs Chromium (apt-get install chromium).
screenshots: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m bench.web --screenshots

# The long schemathesis pass (issue 13): every phase, as an operator and as a parent, no 5xx;
# `make test` runs a short one (tests/test_fuzz.py).
.PHONY: fuzz
fuzz: $(STAMP)
	MASSAR_FUZZ=long $(BIN)/python -m pytest -q -s tests/test_fuzz.py

# The suite with the clock a year ahead (libfaketime moves every process's clock): no test
# may depend on today's date staying in the future or the past. Slower; not part of `test`.
FAKETIME := /usr/bin/faketime
$(FAKETIME):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq faketime >/dev/null

.PHONY: pytest-next-year
# The fuzzing and the devserver's event pump wait on Python timers, which libfaketime 0.9.10
# (it fakes the monotonic clock too) never lets return (wolfcw/libfaketime#390): left out.
pytest-next-year: $(STAMP) $(CHROMIUM) $(FAKETIME)
	$(FAKETIME) '+365 days' $(BIN)/python -m pytest -q --ignore=tests/web \
		--ignore=tests/test_fuzz.py --ignore=tests/test_devserver.py
