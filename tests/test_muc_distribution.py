"""The importer on the full MUC-3/4 distribution (``../shared/datasets/muc34.tar.gz``).

Imported once per session. Every expected number is derived here, independently of the
importer, by line-oriented regular expressions over the raw text and key files read
straight from the tar: message-id lines, ``1.  MESSAGE: TEMPLATE`` lines, and the fill
lines of the HUM TGT: EFFECT OF INCIDENT / NUMBER slots (a slot's fills are its own
line plus the indented lines below it, up to the next numbered line).
"""

from __future__ import annotations

import re
import tarfile
from collections import Counter, defaultdict

import pytest

pytestmark = pytest.mark.muc

SPLITS = ("dev", "tst1", "tst2", "tst3", "tst4")
TEXT_NAME = re.compile(r"CORPORA/(dev|tst\d)/(dev-muc3-\d{4}-\d{4}|tst\d-muc\d(?:\.mixed-case)?)$")
KEY_NAME = re.compile(r"CORPORA/(dev|tst\d)/key-[^/]+$")
ID_LINE = re.compile(r"(?m)^((?:DEV|TST\d)-MUC\d-\d{4})\b")
NUMBERED = re.compile(r"^\s*(\d+)\.\s+(\S.*?:\s\S.*?)(?:\s{2,}(.*))?$")


@pytest.fixture(scope="session")
def muc_archive(shared):
    path = shared / "datasets" / "muc34.tar.gz"
    assert path.is_file(), f"{path} is missing"
    return path


@pytest.fixture(scope="session")
def raw(muc_archive):
    """(texts, keys): split -> list of file contents, straight from the tar."""
    texts, keys = defaultdict(dict), defaultdict(list)
    with tarfile.open(muc_archive) as tar:
        for m in tar.getmembers():
            base = m.name.rsplit("/", 1)[-1]
            if not m.isfile() or base.startswith("._"):
                continue
            if t := TEXT_NAME.search(m.name):
                texts[t.group(1)][base] = tar.extractfile(m).read().decode("ascii")
            elif k := KEY_NAME.search(m.name):
                keys[k.group(1)].append(tar.extractfile(m).read().decode("ascii"))
    # TST4: the mixed-case file is the one imported
    texts["tst4"] = {"tst4-muc4.mixed-case": texts["tst4"]["tst4-muc4.mixed-case"]}
    return texts, keys


@pytest.fixture(scope="session")
def imported(muc_archive, tmp_path_factory):
    from conflictbench.corpus import load_corpus
    from conflictbench.muc import import_muc4

    out = tmp_path_factory.mktemp("muc4") / "corpus"
    report = import_muc4(muc_archive, out)
    return report, load_corpus(out)


def slot_fills(key_text: str):
    """Yield (template index, slot label, fill line) for every fill line of a key file."""
    tpl, label = -1, None
    for line in key_text.splitlines():
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        m = NUMBERED.match(line)
        if m:
            label = m.group(2).strip()
            if m.group(1) == "0":
                tpl += 1
            yield tpl, label, (m.group(3) or "").strip()
        else:
            yield tpl, label, line.strip()


def test_document_counts_and_ids(raw, imported):
    texts, keys = raw
    report, corpus = imported
    assert {s: len(corpus.splits[s]) for s in SPLITS} == {
        "dev": 1300, "tst1": 100, "tst2": 100, "tst3": 100, "tst4": 100}
    for split in SPLITS:
        text_ids = {i.lower() for c in texts[split].values() for i in ID_LINE.findall(c)}
        key_ids = {m.lower() for c in keys[split]
                   for m in re.findall(r"MESSAGE: ID\s+((?:DEV|TST\d)-MUC\d-\d{4})", c)}
        assert text_ids == key_ids == set(corpus.splits[split]), split
    assert report.documents == {s: len(corpus.splits[s]) for s in SPLITS}
    # the published sizes (TASK/CORPORA: 1300 dev, 100 per test set): nothing to note
    assert not [n for n in report.notes if "published distribution" in n]


def test_relevant_template_counts(raw, imported):
    _, keys = raw
    report, _ = imported
    expected = {s: sum(len(re.findall(r"(?m)^1\.\s+MESSAGE: TEMPLATE\s+\d", c)) for c in keys[s])
                for s in SPLITS}
    assert report.templates == expected
    # per file, `grep -c -E '^1\. +MESSAGE: TEMPLATE +[0-9]'` over the extracted keys gave
    # dev 1114 (87+105+92+110+108+84+100+58+53+65+50+121+81), tst1 85, tst2 106, tst3 123, tst4 86
    assert expected == {"dev": 1114, "tst1": 85, "tst2": 106, "tst3": 123, "tst4": 86}


def _templates(key_text):
    per_tpl = defaultdict(lambda: defaultdict(list))
    for tpl, label, fill in slot_fills(key_text):
        per_tpl[tpl][label].append(fill)
    return per_tpl.values()


def _xref(fill):
    """The cross-reference part of a fill line: the text from the first ': "' on."""
    return fill[fill.index(': "') + 2:] if ': "' in fill else None


def _expected_casualty_kinds(key_texts):
    """killed / injured: DEATH / INJURY effect fills (first alternative, "?" allowed);
    abducted: one per distinct cross-reference of the non-null HUM TGT: NUMBER fills of
    accomplished KIDNAPPING templates."""
    counts = Counter()
    for c in key_texts:
        for slots in _templates(c):
            for fill in slots["HUM TGT: EFFECT OF INCIDENT"]:
                m = re.match(r"\??\s*\(?\s*(DEATH|INJURY)\b", fill)
                if m:
                    counts["killed" if m.group(1) == "DEATH" else "injured"] += 1
            if (slots["INCIDENT: TYPE"] == ["KIDNAPPING"]
                    and slots["INCIDENT: STAGE OF EXECUTION"] == ["ACCOMPLISHED"]):
                refs = {_xref(f) for f in slots["HUM TGT: NUMBER"]
                        if f not in ("-", "*") and not f.startswith("-:")}
                counts["abducted"] += len(refs)
    return counts


def test_casualty_counts_per_split(raw, imported):
    _, keys = raw
    _, corpus = imported
    by_id = corpus.by_id()
    for split in SPLITS:
        got = Counter(c["kind"] for i in corpus.splits[split] for c in by_id[i]["casualties"])
        assert got == _expected_casualty_kinds(keys[split]), split


def _exact_killed(templates):
    total = 0
    for slots in templates:
        nums, effs = defaultdict(list), defaultdict(list)
        for f in slots["HUM TGT: NUMBER"]:
            if (ref := _xref(f)) and not f.startswith("-:"):
                nums[ref].append(f)
        for f in slots["HUM TGT: EFFECT OF INCIDENT"]:
            if ref := _xref(f):
                effs[ref].append(f)
        for ref, es in effs.items():
            ns, k = nums.get(ref, []), len(es)
            n_cas = sum(bool(re.match(r"\??\s*\(?(DEATH|INJURY)", e)) for e in es)
            for i, e in enumerate(es):
                if not re.match(r"\??\s*\(?DEATH", e) or not ns:
                    continue
                if k > len(ns) and n_cas > 1:
                    continue
                num = ns[len(ns) - k + i] if k <= len(ns) else ns[-1]
                if m := re.match(r"\??\s*(\d+)\s*(?:/[^:]*)?:", num):
                    total += int(m.group(1))
    return total


def test_exact_killed_figures_per_split(raw, imported):
    """Sum of exact killed counts. Independently: per template, the fills of HUM TGT:
    NUMBER and HUM TGT: EFFECT OF INCIDENT are grouped by their literal cross-reference
    text; a group's k effects pair with its last k numbers (the documented rule); a
    DEATH effect paired with a plain number (first alternative) counts that number; a
    number shared by two or more DEATH/INJURY effects counts nothing."""
    _, keys = raw
    _, corpus = imported
    by_id = corpus.by_id()
    for split in SPLITS:
        expected = sum(_exact_killed(_templates(c)) for c in keys[split])
        got = sum(c["count"] for i in corpus.splits[split] for c in by_id[i]["casualties"]
                  if c["kind"] == "killed" and c["qualifier"] == "exact")
        assert got == expected, split


def test_documents_with_dates_and_actors(raw, imported):
    _, keys = raw
    _, corpus = imported
    by_id = corpus.by_id()
    for split in SPLITS:
        with_date, with_actor = set(), set()
        for c in keys[split]:
            doc = None
            for _tpl, label, fill in slot_fills(c):
                if label == "MESSAGE: ID":
                    doc = re.search(r"(?:DEV|TST\d)-MUC\d-\d{4}", fill).group(0).lower()
                elif label == "INCIDENT: DATE" and fill not in ("-", "*", ""):
                    with_date.add(doc)
                elif label in ("PERP: INDIVIDUAL ID", "PERP: ORGANIZATION ID") and fill not in (
                        "-", "*", ""):  # one DEV key (1230) leaves the strings unquoted
                    with_actor.add(doc)
        assert {i for i in corpus.splits[split] if by_id[i]["dates"]} == with_date, split
        assert {i for i in corpus.splits[split] if by_id[i]["actors"]} == with_actor, split


def test_publication_dates_from_datelines(raw, imported):
    texts, _ = raw
    _, corpus = imported
    by_id = corpus.by_id()
    months = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
    checked = 0
    for split in SPLITS:
        for content in texts[split].values():
            for doc_id, d, mon, yy in re.findall(
                r"(?m)^((?:DEV|TST\d)-MUC\d-\d{4}).*\n\s*\n\s+[^,\n]+, (\d{1,2}) ([A-Za-z]{3}) (\d\d) ", content
            ):
                iso = f"19{yy}-{months.index(mon.upper()) + 1:02d}-{int(d):02d}"
                assert by_id[doc_id.lower()]["publication_date"] == iso
                checked += 1
    assert checked > 1550  # all but the NO DATE / odd datelines


def test_spans_match_text_and_tst4_is_mixed_case(imported):
    _, corpus = imported
    by_id = corpus.by_id()
    located = total = 0
    for doc in corpus.documents:
        for field in ("casualties", "actors"):
            for s in doc[field]:
                total += 1
                if s["start"] is not None:
                    located += 1
                    # whole words: the key's strings are never cut out of a longer word
                    before = doc["text"][s["start"] - 1:s["start"]]
                    after = doc["text"][s["end"]:s["end"] + 1]
                    assert not (before.isalnum() and s["text"][0].isalnum())
                    assert not (after.isalnum() and s["text"][-1].isalnum())
    assert located / total > 0.9
    tst4 = [by_id[i]["text"] for i in corpus.splits["tst4"]]
    assert all(re.search(r"[a-z]", t) for t in tst4)
    assert not any(re.search(r"[a-z]", by_id[i]["text"]) for i in corpus.splits["tst3"])


def test_card_and_registry(imported):
    report, corpus = imported
    card = (corpus.path / "README.md").read_text()
    assert "provided free of charge courtesy of FBIS" in card
    assert "dev, tst1, tst2, tst3 are upper case" in card
    assert report.sha256.startswith("44e962cc") and report.sha256 in card
    assert "{{" not in card
    # the keys' slips the importer read leniently are all listed (README promises it)
    assert report.notes and all(f"* {n}\n" in card for n in report.notes)
    assert all(a.id.startswith("muc4:") for a in corpus.registry.actors.values())
    # the key's alternatives name one entity
    assert corpus.registry.resolve("FMLN") == corpus.registry.resolve(
        "FARABUNDO MARTI NATIONAL LIBERATION FRONT")


def test_loads_with_datasets_offline(imported, tmp_path, monkeypatch):
    """The imported folder is a Hugging Face dataset: one split per MUC set, declared
    features (ISO dates stay strings), same rows as the parquet the library reads."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from datasets import load_dataset
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    _, corpus = imported
    ds = load_dataset(str(corpus.path), cache_dir=str(tmp_path / "hf"))
    assert {s: ds[s].num_rows for s in ds} == {s: len(corpus.splits[s]) for s in SPLITS}
    row = ds["tst4"][0]
    assert row["id"] == "tst4-muc4-0001" and row["publication_date"] == "1988-08-23"
    assert row == corpus.by_id()["tst4-muc4-0001"]
