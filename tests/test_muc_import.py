"""The MUC-4 importer on small key/text fixtures written for these tests.

Each fixture is a hand-written miniature of the distribution's formats (continuation
lines, alternatives, cross-references, optional templates and fills, ranges, PLURAL,
"?", irrelevant documents, AppleDouble junk in the tar). Expected values are derived by
hand from the fixture text in the comments.
"""

from __future__ import annotations

import io
import tarfile

import pytest

from conflictbench.corpus import load_corpus
from conflictbench.errors import DataError
from conflictbench.muc import import_muc4, read_muc4
from conflictbench.muc.keys import SLOTS, KeyFileError, parse_key_file


def template(doc_id: str, number: str = "1", **fills: list[str] | str) -> str:
    """A key template: every slot '-' unless given (a list gives continuation lines)."""
    lines = []
    for i, slot in enumerate(SLOTS):
        key = slot.replace(": ", "_").replace(" ", "_")
        if i == 0:
            vals = [f"{doc_id} (NCCOSC)"]
        elif i == 1:
            vals = [number]
        else:
            v = fills.get(key, "*" if number == "*" else "-")
            vals = v if isinstance(v, list) else [v]
        label = f"{i}.".ljust(4) + slot
        lines.append(label.ljust(36) + vals[0])
        lines += [" " * 36 + v for v in vals[1:]]
    return "\n".join(lines) + "\n\n"


TEXT_1 = """TST3-MUC4-0001

   SAN SALVADOR, 3 JAN 90 (RADIO VENCEREMOS) -- [REPORT] [TEXT] TERRORISTS OF THE
FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN] KILLED FIVE
PEASANTS AND WOUNDED SEVERAL SOLDIERS YESTERDAY.  MONSIGNOR ARNULFO
ROMERO WAS ALSO SHOT.


TST3-MUC4-0002

   LIMA, NO DATE -- [TEXT] NOTHING RELEVANT HAPPENED.


TST3-MUC4-0003

   LIMA, 7 FEB -- [TEXT] GUERRILLAS KIDNAPPED BETWEEN 5 AND 7 ENGINEERS.
"""

KEY_1 = (
    ";;; a comment line\n"
    + template(
        "TST3-MUC4-0001",
        INCIDENT_DATE="02 JAN 90",
        INCIDENT_TYPE="ATTACK",
        INCIDENT_STAGE_OF_EXECUTION="ACCOMPLISHED",
        PERP_INCIDENT_CATEGORY="TERRORIST ACT",
        PERP_INDIVIDUAL_ID='? "TERRORISTS"',
        PERP_ORGANIZATION_ID='"FARABUNDO MARTI NATIONAL LIBERATION FRONT" / "FMLN"',
        HUM_TGT_NAME='"ARNULFO ROMERO"',
        # continuation lines; the description "MONSIGNOR" cross-references the name
        HUM_TGT_DESCRIPTION=['"MONSIGNOR": "ARNULFO ROMERO"', '"PEASANTS"', '"SOLDIERS"'],
        HUM_TGT_TYPE=['CIVILIAN: "ARNULFO ROMERO"', 'CIVILIAN: "PEASANTS"', 'ACTIVE MILITARY: "SOLDIERS"'],
        HUM_TGT_NUMBER=['1: "ARNULFO ROMERO"', '5: "PEASANTS"', '? PLURAL: "SOLDIERS"'],
        HUM_TGT_EFFECT_OF_INCIDENT=['DEATH: "PEASANTS"', 'INJURY: "SOLDIERS"',
                                    'NO DEATH: "ARNULFO ROMERO"'],
    )
    + template("TST3-MUC4-0002", "*")
    + template(
        "TST3-MUC4-0003",
        "1 (OPTIONAL)",
        INCIDENT_DATE="- 07 FEB",  # no year: from the dateline (7 FEB, year of the previous message)
        INCIDENT_TYPE="KIDNAPPING",
        INCIDENT_STAGE_OF_EXECUTION="ACCOMPLISHED",
        PERP_INDIVIDUAL_ID='"GUERRILLAS"',
        HUM_TGT_DESCRIPTION='"ENGINEERS"',
        HUM_TGT_NUMBER='5 - 7: "ENGINEERS"',
    )
)


def make_archive(path, files: dict[str, str], *, junk: bool = True) -> None:
    """A tar.gz laid out like muc34.tar.gz, with every split, plus AppleDouble junk."""
    with tarfile.open(path, "w:gz") as tar:
        for name, content in files.items():
            data = content.encode("ascii")
            for member, payload in ((name, data),) + (
                ((name.rsplit("/", 1)[0] + "/._" + name.rsplit("/", 1)[1], b"\x00\x05\x16\x07junk"),)
                if junk else ()
            ):
                info = tarfile.TarInfo(member)
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))


def archive_files(text3: str = TEXT_1, key3: str = KEY_1) -> dict[str, str]:
    base = "muc34/TASK/CORPORA"
    files = {}
    for split, text_name, key_name, prefix in (
        ("dev", "dev-muc3-0001-0001", "key-dev-0001.muc4", "DEV-MUC3"),
        ("tst1", "tst1-muc3", "key-tst1.v7", "TST1-MUC3"),
        ("tst2", "tst2-muc4", "key-tst2.v4", "TST2-MUC4"),
        ("tst4", "tst4-muc4.mixed-case", "key-tst4.v2", "TST4-MUC4"),
    ):
        files[f"{base}/{split}/{text_name}"] = f"{prefix}-0001\n\n   LIMA, 1 JAN 90 -- [TEXT] Nothing.\n"
        files[f"{base}/{split}/{key_name}"] = template(f"{prefix}-0001", "*")
    files[f"{base}/tst3/tst3-muc4"] = text3
    files[f"{base}/tst3/key-tst3.v2"] = key3
    return files


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("muc")
    make_archive(tmp / "mini.tar.gz", archive_files())
    report = import_muc4(tmp / "mini.tar.gz", tmp / "corpus")
    return report, load_corpus(tmp / "corpus")


def test_every_split_and_document(imported):
    report, corpus = imported
    assert report.documents == {"dev": 1, "tst1": 1, "tst2": 1, "tst3": 3, "tst4": 1}
    assert corpus.splits["tst3"] == ("tst3-muc4-0001", "tst3-muc4-0002", "tst3-muc4-0003")
    assert report.templates["tst3"] == 2  # the '*' template of 0002 is not relevant


def test_text_and_dateline(imported):
    _, corpus = imported
    doc = corpus.by_id()["tst3-muc4-0001"]
    assert doc["text"].startswith("   SAN SALVADOR, 3 JAN 90 (RADIO VENCEREMOS) --")
    assert doc["text"].endswith("WAS ALSO SHOT.")
    assert doc["publication_date"] == "1990-01-03"
    assert doc["source"] == "FBIS (RADIO VENCEREMOS)"
    # NO DATE: the previous message's date; 7 FEB without a year: the nearest year (1990)
    assert corpus.by_id()["tst3-muc4-0002"]["publication_date"] == "1990-01-03"
    assert corpus.by_id()["tst3-muc4-0003"]["publication_date"] == "1990-02-07"


def test_irrelevant_document_has_empty_gold(imported):
    doc = imported[1].by_id()["tst3-muc4-0002"]
    assert doc["casualties"] == doc["actors"] == doc["dates"] == []


def test_casualties_joined_through_cross_references(imported):
    _, corpus = imported
    doc = corpus.by_id()["tst3-muc4-0001"]
    got = [(c["kind"], c["qualifier"], c["count"], c["victims"], c["optional"], c["text"])
           for c in doc["casualties"]]
    # DEATH: "PEASANTS" + 5: "PEASANTS" + CIVILIAN; INJURY: "SOLDIERS" + ? PLURAL (optional);
    # NO DEATH for Romero is not a casualty.
    assert got == [
        ("killed", "exact", 5, "civilians", False, "PEASANTS"),
        ("injured", "vague", None, "security_forces", True, "SOLDIERS"),
    ]
    for c in doc["casualties"]:
        assert doc["text"][c["start"]:c["end"]] == c["text"]
        assert doc["dates"][c["date_ref"]]["value"] == "1990-01-02"
        # organisation before individual: the FMLN
        assert doc["actors"][c["perpetrator_ref"]]["text"] == "FARABUNDO MARTI NATIONAL LIBERATION FRONT"


def test_actors_alternatives_are_aliases(imported):
    _, corpus = imported
    doc = corpus.by_id()["tst3-muc4-0001"]
    fmln, terrorists = doc["actors"]
    entity = corpus.registry.get(fmln["entity"])
    assert entity.id.startswith("muc4:")
    assert corpus.registry.resolve("FMLN") == fmln["entity"]
    assert corpus.registry.resolve("farabundo marti national liberation front") == fmln["entity"]
    assert (fmln["type"], fmln["optional"]) == ("armed_group", False)
    assert (terrorists["text"], terrorists["optional"]) == ("TERRORISTS", True)  # "?" fill


def test_optional_kidnapping_with_range(imported):
    _, corpus = imported
    doc = corpus.by_id()["tst3-muc4-0003"]
    # KIDNAPPING accomplished: each numbered target is abducted; 5 - 7 is a range;
    # the whole template is (OPTIONAL); no category → actor type 'other'
    [c] = doc["casualties"]
    assert (c["kind"], c["qualifier"], c["count_low"], c["count_high"], c["optional"]) == (
        "abducted", "range", 5, 7, True)
    assert c["text"] == "ENGINEERS"
    [d] = doc["dates"]
    assert (d["value"], d["mod"], d["optional"], d["start"]) == ("1990-02-07", "ON_OR_BEFORE", True, None)
    assert [(a["text"], a["type"], a["optional"]) for a in doc["actors"]] == [("GUERRILLAS", "other", True)]


def test_unmatched_fill_gets_null_offsets(tmp_path):
    key = KEY_1.replace('"PEASANTS"', '"CAMPESINOS"')  # not in the text
    make_archive(tmp_path / "a.tar.gz", archive_files(key3=key))
    splits, _, _ = read_muc4(tmp_path / "a.tar.gz")
    doc = next(d for d in splits["tst3"] if d["id"] == "tst3-muc4-0001")
    killed = doc["casualties"][0]
    assert (killed["count"], killed["start"], killed["end"], killed["text"]) == (5, None, None, None)


def test_bad_key_fails_naming_the_document_and_writes_nothing(tmp_path):
    key = KEY_1.replace('5 - 7: "ENGINEERS"', 'SOME: "ENGINEERS"')
    make_archive(tmp_path / "a.tar.gz", archive_files(key3=key))
    with pytest.raises(DataError) as err:
        import_muc4(tmp_path / "a.tar.gz", tmp_path / "out")
    assert "TST3-MUC4-0003" in str(err.value) and "'SOME'" in str(err.value)
    # the key file and the line of the template are named
    assert "muc34/TASK/CORPORA/tst3/key-tst3.v2:" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_unknown_effect_is_an_error_not_skipped(tmp_path):
    key = KEY_1.replace('DEATH: "PEASANTS"', 'DEAHT: "PEASANTS"')
    make_archive(tmp_path / "a.tar.gz", archive_files(key3=key))
    with pytest.raises(DataError, match=r"TST3-MUC4-0001.*unknown effect 'DEAHT'"):
        read_muc4(tmp_path / "a.tar.gz")


def test_missing_key_for_a_text_is_reported(tmp_path):
    key = KEY_1.split(";;; a comment line\n")[1]
    key = key[: key.index("0.  MESSAGE: ID                     TST3-MUC4-0002")]
    key += template("TST3-MUC4-0003", "*")
    make_archive(tmp_path / "a.tar.gz", archive_files(key3=key))
    with pytest.raises(DataError, match=r"tst3 TST3-MUC4-0002: no answer-key template"):
        read_muc4(tmp_path / "a.tar.gz")


def test_missing_split_and_not_an_archive(tmp_path):
    files = {k: v for k, v in archive_files().items() if "/tst2/" not in k}
    make_archive(tmp_path / "a.tar.gz", files)
    with pytest.raises(DataError, match="no text file for set 'tst2'"):
        read_muc4(tmp_path / "a.tar.gz")
    (tmp_path / "b.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(DataError, match="not a readable tar archive"):
        read_muc4(tmp_path / "b.tar.gz")


def test_key_parser_errors_name_the_line():
    good = template("DEV-MUC3-0001", "*")
    with pytest.raises(KeyFileError, match="line 3"):
        parse_key_file(good.replace("2.  INCIDENT: DATE", "2.  INCIDENT: DAET"))
    with pytest.raises(KeyFileError, match="lacks slot"):
        parse_key_file("\n".join(good.splitlines()[:-3]))


def test_cli_import(tmp_path, capsys):
    from conflictbench.cli import main

    make_archive(tmp_path / "a.tar.gz", archive_files())
    assert main(["corpus", "import-muc4", str(tmp_path / "a.tar.gz"), "--out", str(tmp_path / "c")]) == 0
    assert "7 documents" in capsys.readouterr().out
    assert main(["corpus", "import-muc4", str(tmp_path / "nope.tar.gz"), "--out", str(tmp_path / "d")]) == 2
    assert "archive not found" in capsys.readouterr().err


def _casualties_of(tmp_path, **fills):
    text = "TST3-MUC4-0001\n\n   LIMA, 3 JUN 89 (EFE) -- [TEXT] PEOPLE AND PERSON AND GUARDS.\n"
    key = template("TST3-MUC4-0001", INCIDENT_DATE="03 JUN 89", INCIDENT_TYPE="ATTACK",
                   INCIDENT_STAGE_OF_EXECUTION="ACCOMPLISHED", **fills)
    make_archive(tmp_path / "a.tar.gz", archive_files(text3=text, key3=key), junk=False)
    splits, _, _ = read_muc4(tmp_path / "a.tar.gz")
    return [(c["kind"], c["qualifier"], c["count"]) for c in splits["tst3"][0]["casualties"]]


def test_targets_written_alike_pair_by_position(tmp_path):
    # DEV-MUC3-0419's pattern: "PEOPLE" / "PERSON" (1) killed, "PEOPLE" (12) injured —
    # the full reference tells them apart; TST2-MUC4-0017's: two identical "PEOPLE"
    # references pair in order (23- killed, 1000 injured).
    assert _casualties_of(
        tmp_path,
        HUM_TGT_DESCRIPTION=['"PEOPLE" / "PERSON"', '"PEOPLE"'],
        HUM_TGT_NUMBER=['1: "PEOPLE" / "PERSON"', '12: "PEOPLE"'],
        HUM_TGT_EFFECT_OF_INCIDENT=['INJURY: "PEOPLE"', 'DEATH: "PEOPLE" / "PERSON"'],
    ) == [("injured", "exact", 12), ("killed", "exact", 1)]
    assert _casualties_of(
        tmp_path,
        HUM_TGT_DESCRIPTION=['"PEOPLE"', '"PEOPLE"'],
        HUM_TGT_NUMBER=['23 -: "PEOPLE"', '1000: "PEOPLE"'],
        HUM_TGT_EFFECT_OF_INCIDENT=['DEATH: "PEOPLE"', 'INJURY: "PEOPLE"'],
    ) == [("killed", "at_least", 23), ("injured", "exact", 1000)]


def test_fewer_effects_pair_with_the_last_numbers(tmp_path):
    # TST2-MUC4-0049: 24 guards on the bus, "at least seven" killed
    assert _casualties_of(
        tmp_path,
        HUM_TGT_DESCRIPTION=['"GUARDS"', '"GUARDS"'],
        HUM_TGT_NUMBER=['24: "GUARDS"', '7 -: "GUARDS"'],
        HUM_TGT_EFFECT_OF_INCIDENT='DEATH: "GUARDS"',
    ) == [("killed", "at_least", 7)]


def test_number_shared_by_death_and_injury_is_vague(tmp_path):
    # DEV-MUC3-0620: ~7 PEOPLE, DEATH and INJURY — the split is unknown
    assert _casualties_of(
        tmp_path,
        HUM_TGT_DESCRIPTION='"PEOPLE"',
        HUM_TGT_NUMBER='~7: "PEOPLE"',
        HUM_TGT_EFFECT_OF_INCIDENT=['DEATH: "PEOPLE"', 'INJURY: "PEOPLE"'],
    ) == [("killed", "vague", None), ("injured", "vague", None)]


def test_dummy_reference_joins_number_and_effect(tmp_path):
    # DEV-MUC3-1284: NUMBER 2: "-" and EFFECT DEATH: "-" (no target named) → 2 killed;
    # an effect with the dummy reference and no number is vague
    assert _casualties_of(tmp_path, HUM_TGT_NUMBER='2: "-"', HUM_TGT_EFFECT_OF_INCIDENT='DEATH: "-"') == [
        ("killed", "exact", 2)]
    assert _casualties_of(tmp_path, HUM_TGT_EFFECT_OF_INCIDENT='INJURY: "-"') == [("injured", "vague", None)]


def test_a_message_missing_from_text_and_key_is_reported(tmp_path):
    # TST3-MUC4-0002 removed from both files: text and key still agree, but the ids
    # 0001, 0003 have a gap, so the archive is incomplete
    text = TEXT_1[: TEXT_1.index("TST3-MUC4-0002")] + TEXT_1[TEXT_1.index("TST3-MUC4-0003"):]
    key = KEY_1.replace(template("TST3-MUC4-0002", "*"), "")
    make_archive(tmp_path / "a.tar.gz", archive_files(text3=text, key3=key))
    with pytest.raises(DataError, match=r"tst3: no text for document number\(s\) 0002 "):
        import_muc4(tmp_path / "a.tar.gz", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_dev_file_holding_fewer_messages_than_its_name_says_is_reported(tmp_path):
    files = archive_files()
    name = "muc34/TASK/CORPORA/dev/dev-muc3-0001-0001"
    files["muc34/TASK/CORPORA/dev/dev-muc3-0001-0002"] = files.pop(name)
    make_archive(tmp_path / "a.tar.gz", files)
    with pytest.raises(DataError, match=r"dev-muc3-0001-0002: holds 1 of the 2 documents"):
        read_muc4(tmp_path / "a.tar.gz")


def test_sizes_other_than_the_published_ones_are_noted(imported):
    report, _ = imported
    # the fixture has 1 document per set but 3 in tst3; the distribution 1300 / 4 x 100
    assert [n for n in report.notes if "published distribution" in n] == [
        "dev: 1 document(s); the published distribution has 1300",
        "tst1: 1 document(s); the published distribution has 100",
        "tst2: 1 document(s); the published distribution has 100",
        "tst3: 3 document(s); the published distribution has 100",
        "tst4: 1 document(s); the published distribution has 100",
    ]


def test_every_unreadable_document_is_named_at_once(tmp_path):
    key = KEY_1.replace('DEATH: "PEASANTS"', 'DEAHT: "PEASANTS"').replace(
        '5 - 7: "ENGINEERS"', 'SOME: "ENGINEERS"')
    make_archive(tmp_path / "a.tar.gz", archive_files(key3=key))
    with pytest.raises(DataError) as err:
        read_muc4(tmp_path / "a.tar.gz")
    msg = str(err.value)
    assert "2 document(s) or file(s) could not be read; nothing written" in msg
    assert "TST3-MUC4-0001" in msg and "'DEAHT'" in msg
    assert "TST3-MUC4-0003" in msg and "'SOME'" in msg


def test_a_failed_reimport_leaves_the_previous_corpus_untouched(tmp_path):
    make_archive(tmp_path / "good.tar.gz", archive_files())
    out = import_muc4(tmp_path / "good.tar.gz", tmp_path / "corpus") and tmp_path / "corpus"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    make_archive(tmp_path / "bad.tar.gz",
                 archive_files(key3=KEY_1.replace('DEATH: "PEASANTS"', 'DEAHT: "PEASANTS"')))
    with pytest.raises(DataError):
        import_muc4(tmp_path / "bad.tar.gz", out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tar.gz", "corpus", "good.tar.gz"]


def test_the_card_lists_every_lenient_reading(imported):
    report, corpus = imported
    card = (corpus.path / "README.md").read_text(encoding="utf-8")
    assert report.notes  # the fixture's sizes differ from the published ones
    for note in report.notes:
        assert f"* {note}\n" in card
    assert f"as it printed them ({len(report.notes)})" in card
