# make setup  create .venv from the lock file and install the package
# make book   set up, then validate the data and build the book
# make test   set up, then run the whole test suite
# make preview  build, then serve the book on 127.0.0.1:8000, rebuilt on every save, the open page reloaded
# make lock   re-resolve requirements.lock from pyproject.toml (upgrades every pin)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup book test lock clean preview

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(STAMP)

book: setup
	$(BIN)/jinchang validate
	$(BIN)/jinchang build

test: setup
	$(BIN)/python -m pytest

preview: book
	$(BIN)/jinchang serve --watch

lock: setup
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --extra test --generate-hashes --allow-unsafe --strip-extras \
	    --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf _build

# make bench  time clean, unchanged and edited builds against the notebooks alone; writes bench/REPORT-build.md
.PHONY: bench
bench: setup
	$(BIN)/python bench/build.py
