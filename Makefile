# Every target does its own set-up, so a fresh clone needs only Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint bench samples golden realdata clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/readiness audit sample_data/support --out reports
	$(BIN)/readiness audit sample_data/shop --out reports
	$(BIN)/readiness audit sample_data/churn --out reports
	$(BIN)/readiness audit sample_data/reviews --out reports

test: $(STAMP)
	$(BIN)/ruff check readiness tests sample_data
	$(BIN)/mypy readiness
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check readiness tests sample_data
	$(BIN)/mypy readiness

samples: $(STAMP)
	$(BIN)/python sample_data/generate.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --wide --many 10000

realdata: $(STAMP)
	$(BIN)/python tests/realdata/report.py

golden: $(STAMP)
	READINESS_REGENERATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

clean:
	rm -rf $(VENV) reports/*/ reports/history.sqlite
