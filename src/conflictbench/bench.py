"""``conflictbench bench``: every registered extractor over every corpus a benchmark
definition names, into one combined results set.

A definition is a TOML file (``eval/benchmarks.toml``) of ``[[corpus]]`` tables::

    [[corpus]]
    name = "muc4"                  # unique; names the corpus in the results
    path = "eval/muc4/corpus"      # the corpus folder (relative: to the working directory)
    env = "CONFLICTBENCH_MUC4"     # optional: an environment variable that overrides path
    splits = ["tst3", "tst4"]      # optional: default every split
    span_mode = "none"             # strict | overlap | none
    fields = ["casualties", "actors", "dates"]   # optional: the fields reported
    te3 = false                    # optional: also TempEval-3 timex figures (TimeML corpora)
    about = "MUC-4 test sets"      # optional: one line for the results

A corpus whose folder is not there is skipped with one line; the others are scored. The
results set (``results.json``, format ``conflictbench-bench/1``, in BENCHMARKS.md) has one
row per corpus × system × field × level, each with its signature and the corpus
fingerprint; ``leaderboard.md`` (:func:`conflictbench.report.bench.leaderboard_md`) shows
the same numbers as tables.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .errors import DataError, ExtractorUnavailable, check_choice
from .schema import FIELDS

FORMAT = "conflictbench-bench/1"
_KEYS = {"name", "path", "env", "splits", "span_mode", "fields", "te3", "about"}
SPAN_MODES = ("strict", "overlap", "none")


@dataclass(frozen=True)
class CorpusSpec:
    name: str
    path: str | None
    env: str | None
    splits: tuple[str, ...] = ()
    span_mode: str = "strict"
    fields: tuple[str, ...] = FIELDS
    te3: bool = False
    about: str = ""

    def folder(self) -> Path | None:
        """The corpus folder (the environment variable first), or None when neither is set."""
        value = os.environ.get(self.env) if self.env else None
        if value:
            return Path(value)
        return Path(self.path) if self.path else None


def _toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataError(f"{path}: benchmark definition not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc})") from None


def read_definition(path: str | Path) -> list[CorpusSpec]:
    """The corpora of a benchmark definition, checked (each problem names the entry)."""
    path = Path(path)
    data = _toml(path)
    entries = data.get("corpus")
    extra = set(data) - {"corpus"}
    if extra:
        raise DataError(f"{path}: unknown top-level key(s) {sorted(extra)} (only [[corpus]] tables)")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{path}: no [[corpus]] table")
    out: list[CorpusSpec] = []
    for i, e in enumerate(entries):
        where = f"{path}: [[corpus]] #{i + 1}"
        unknown = set(e) - _KEYS
        if unknown:
            raise DataError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(_KEYS)}")
        name = e.get("name")
        if not isinstance(name, str) or not name:
            raise DataError(f"{where}: 'name' must be a non-empty string")
        where = f"{path}: corpus {name!r}"
        if any(c.name == name for c in out):
            raise DataError(f"{where}: a second corpus with this name")
        for key in ("path", "env", "about"):
            if key in e and not isinstance(e[key], str):
                raise DataError(f"{where}: {key!r} must be a string, got {e[key]!r}")
        if not e.get("path") and not e.get("env"):
            raise DataError(f"{where}: needs 'path' or 'env'")
        splits = e.get("splits", [])
        if not isinstance(splits, list) or not all(isinstance(s, str) and s for s in splits):
            raise DataError(f"{where}: 'splits' must be a list of split names, got {splits!r}")
        fields = e.get("fields", list(FIELDS))
        if not isinstance(fields, list) or not fields or any(f not in FIELDS for f in fields):
            raise DataError(f"{where}: 'fields' must be a list of {list(FIELDS)}, got {fields!r}")
        span_mode = e.get("span_mode", "strict")
        try:
            check_choice("bench", "span_mode", span_mode, SPAN_MODES)
        except Exception as exc:
            raise DataError(f"{where}: {exc}") from None
        te3 = e.get("te3", False)
        if not isinstance(te3, bool):
            raise DataError(f"{where}: 'te3' must be true or false, got {te3!r}")
        out.append(CorpusSpec(name, e.get("path"), e.get("env"), tuple(splits), span_mode,
                              tuple(fields), te3, e.get("about", "")))
    return out


@dataclass
class BenchRun:
    corpora: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    unavailable: list[dict[str, str]] = field(default_factory=list)
    failures: int = 0


def _rows(spec: CorpusSpec, system: Any, fingerprint: str) -> list[dict[str, Any]]:
    rows = []
    for res in (system.mention, system.value):
        for f in spec.fields:
            fs = res.field(f)
            lo, hi = system.ci[(f, res.level)]
            rows.append({
                "corpus": spec.name, "system": system.name, "field": f, "level": res.level,
                "span_mode": res.span_mode, "matcher": fs.matcher,
                "precision": fs.precision, "recall": fs.recall, "f1": fs.f1,
                "f1_ci_low": lo, "f1_ci_high": hi,
                "tp": fs.counts.tp, "fp": fs.counts.fp, "fn": fs.counts.fn,
                "failed_documents": len(system.failures), "signature": str(fs.signature),
                "corpus_fingerprint": fingerprint,
            })
    return rows


def _te3_row(spec: CorpusSpec, system: Any, selection: Any) -> dict[str, Any]:
    from .scoring import te3

    r = te3.score_corpus(selection.documents(), system.predictions, fingerprint=selection.fingerprint)
    return {"corpus": spec.name, "system": system.name, "field": "dates", "level": "te3",
            "span_mode": "te3", "matcher": te3.MATCHER,
            "strict_precision": r.strict.precision, "strict_recall": r.strict.recall, "strict_f1": r.strict.f1,
            "precision": r.relaxed.precision, "recall": r.relaxed.recall, "f1": r.relaxed.f1,
            "value_f1": r.value_f1, "type_f1": r.type_f1, "failed_documents": len(system.failures),
            "signature": str(r.signature), "corpus_fingerprint": selection.fingerprint}


def run(specs: Sequence[CorpusSpec], *, extractors: Sequence[str] | None = None, n_resamples: int = 1000,
        seed: int = 0, progress: bool | None = None, log=None) -> BenchRun:
    """Score every extractor (default: every registered one) on every corpus that is there."""
    from .corpus import load_corpus
    from .evaluation import Settings, evaluate_extractor, select
    from .registrations import extractor_names

    log = log or (lambda msg: print(msg, file=sys.stderr))
    names = list(extractors) if extractors else extractor_names()
    out = BenchRun()
    for spec in specs:
        folder = spec.folder()
        entry: dict[str, Any] = {"name": spec.name, "about": spec.about, "path": str(folder) if folder else None,
                                 "splits": list(spec.splits), "span_mode": spec.span_mode,
                                 "fields": list(spec.fields), "te3": spec.te3}
        if folder is None or not (folder / "data").is_dir():
            hint = f" (set {spec.env})" if spec.env else ""
            log(f"skipped {spec.name}: no corpus at {folder}{hint}")
            out.corpora.append({**entry, "status": "skipped", "reason": f"no corpus at {folder}"})
            continue
        corpus = load_corpus(folder)
        lacking = [sp for sp in spec.splits if sp not in corpus.splits]
        if lacking:
            log(f"skipped {spec.name}: {folder} has no split(s) {lacking} (it has {sorted(corpus.splits)})")
            out.corpora.append({**entry, "status": "skipped", "reason": f"{folder} has no split(s) {lacking}"})
            continue
        selection = select(corpus, list(spec.splits) or None)
        settings = Settings(span_mode=spec.span_mode, n_resamples=n_resamples, seed=seed)
        out.corpora.append({**entry, "status": "scored", "fingerprint": selection.fingerprint,
                            "corpus_fingerprint": corpus.fingerprint, "n_documents": len(selection.doc_ids),
                            "splits": list(selection.splits)})
        for name in names:
            try:
                system = evaluate_extractor(name, selection, settings, progress=progress)
            except ExtractorUnavailable as exc:
                out.unavailable.append({"corpus": spec.name, "system": name, "reason": str(exc)})
                log(f"unavailable {name} on {spec.name}: {exc}")
                continue
            out.failures += len(system.failures)
            out.results += _rows(spec, system, selection.fingerprint)
            if spec.te3:
                out.results.append(_te3_row(spec, system, selection))
            log(f"scored {name} on {spec.name} ({len(selection.doc_ids)} documents)")
    return out


def results_json(run_: BenchRun, *, definition: str, n_resamples: int, seed: int) -> dict[str, Any]:
    from . import __version__

    return {"format": FORMAT, "conflictbench_version": __version__, "definition": definition,
            "bootstrap": {"resamples": n_resamples, "seed": seed, "confidence": 0.95},
            "corpora": run_.corpora, "results": run_.results, "unavailable": run_.unavailable}
