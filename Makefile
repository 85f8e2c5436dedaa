# conflictbench — two commands do everything on a fresh machine:
#   make eval   set up, then score every registered extractor on the embedded corpus
#   make test   set up, then run every test (a real Label Studio server included)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export HF_DATASETS_OFFLINE := 1
export HF_HUB_OFFLINE := 1

.PHONY: eval test test-thorough corpus venv clean muc4 muc4-eval

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

# make eval [CORPUS=path] [SPLITS=a,b] [SPAN_MODE=strict|overlap|none]
CORPUS    ?=
SPLITS    ?=
SPAN_MODE ?= strict
eval: $(STAMP)
	$(VENV)/bin/conflictbench eval --all --span-mode $(SPAN_MODE) $(if $(CORPUS),--corpus $(CORPUS)) $(if $(SPLITS),--splits $(SPLITS))

test: $(STAMP)
	$(PY) -m pytest -q

# the thorough hypothesis profile (many more examples); not part of `make test`
test-thorough: $(STAMP)
	HYPOTHESIS_PROFILE=thorough $(PY) -m pytest -q -m "not labelstudio and not browser"

# rebuild corpus/ (parquet + card + registry) from annotation/gold and annotation/actors.jsonl
corpus: $(STAMP)
	$(VENV)/bin/conflictbench corpus build

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info src/*.egg-info

# import the MUC-3/4 distribution into eval/muc4/corpus/ (gitignored: the texts keep their own terms)
MUC ?= ../shared/datasets/muc34.tar.gz
muc4: $(STAMP)
	$(VENV)/bin/conflictbench corpus import-muc4 $(MUC) --out eval/muc4/corpus

# score every registered extractor on the MUC-4 test sets (tst3+tst4), value-only (no spans)
muc4-eval: $(STAMP)
	test -d eval/muc4/corpus || $(MAKE) muc4 MUC=$(MUC)
	$(VENV)/bin/conflictbench eval --all --corpus eval/muc4/corpus --splits tst3,tst4 --span-mode none --out eval/muc4/results
