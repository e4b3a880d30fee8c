"""The ontology module and the checked TSV reader: one home for PLOVER types, quads, CAMEO codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dotterel import ontology as onto
from dotterel.datafiles import (
    DataFileError,
    combine_versions,
    knowledge_files,
    knowledge_version,
    parse_tsv,
)
from dotterel.events import lexicon as event_lexicon
from dotterel.events.lexicon import load_lexicon


def test_types_and_quads_come_from_the_data_files() -> None:
    plover = onto.ontology()
    assert set(plover.types) == set(onto.PLOVER_TYPES)
    assert onto.QUAD_CLASS["verbal conflict"] == 3 and onto.QUAD_NAMES[4] == "material conflict"
    assert plover.types_of("material conflict") == {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    assert plover.score("ASSAULT", None) == -9 and plover.score("ASSAULT", "massacre") == -10
    assert plover.cameo_root("ACCUSE", "investigate") == "09"


def test_the_event_lexicon_uses_the_ontology() -> None:
    lex = load_lexicon()
    assert lex.types == onto.ontology().types
    assert event_lexicon.PLOVER_TYPES is onto.PLOVER_TYPES


def test_cameo_codes() -> None:
    assert onto.cameo_quad("190") == 4 and onto.cameo_quad("042") == 1 and onto.cameo_quad(None) is None
    assert onto.cameo_code("ASSAULT", None, "195") == "195"
    assert onto.cameo_code("ASSAULT", "no-such-mode", None) == onto.cameo_code("ASSAULT", None, None)


def test_type_set_refuses_a_misspelt_type() -> None:
    assert onto.type_set("AID", "AGREE") == {"AID", "AGREE"}
    with pytest.raises(ValueError, match="ASALT"):
        onto.type_set("AID", "ASALT")


def test_the_reader_names_file_and_line_of_a_short_row() -> None:
    lines = ["# my table. version: 7", "word\tkind", "", "ok\tA", "bad"]
    with pytest.raises(DataFileError, match=r"^mine\.tsv:5: expected at least 2"):
        parse_tsv(lines, "mine.tsv", header=True, min_cols=2)
    table = parse_tsv(lines[:4], "mine.tsv", header=True, min_cols=2)
    assert table.version == "7" and [(r.where, r.cells) for r in table] == [("mine.tsv:4", ["ok", "A"])]


def test_the_reader_keeps_cells_unstripped_when_asked() -> None:
    table = parse_tsv([" a \tb"], "x.tsv", strip=False)
    assert table.cells() == [[" a ", "b"]]


def test_knowledge_version_covers_every_data_file() -> None:
    files = knowledge_files()
    assert "events/types.tsv" in files and "actors/titles.tsv" in files and "dates/lexicon.json" in files
    version = knowledge_version()
    assert len(version) == 12 and version == combine_versions(files.items())
    changed = dict(files, **{"events/types.tsv": "0" * 64})
    assert combine_versions(changed.items()) != version


def _broken(monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> None:
    import dotterel.datafiles as datafiles

    real = datafiles.data_text
    monkeypatch.setattr(datafiles, "data_text", lambda n: text if n == name else real(n))


def test_every_lexicon_loader_names_the_line_of_a_short_row(monkeypatch: pytest.MonkeyPatch) -> None:
    from dotterel.places.gazetteer import _rows as place_rows
    from dotterel.quotes.lexicon import _rows as quote_rows
    from dotterel.quotes.lexicon import parse_verbs

    _broken(monkeypatch, "places/aliases.tsv", "# aliases\nKyiv\tcity:703448\nLviv\n")
    with pytest.raises(DataFileError, match=r"places/aliases\.tsv:3"):
        place_rows("aliases.tsv", 2)
    _broken(monkeypatch, "quotes/cue_verbs.tsv", "lemma\tkind\ttakes\nsay\tspeech\tclause\nshout\tloud\tclause\n")
    with pytest.raises(DataFileError, match=r"quotes/cue_verbs\.tsv:3: unknown kind"):
        parse_verbs(quote_rows("cue_verbs.tsv"))
    _broken(monkeypatch, "events/triggers.tsv", "# triggers\nmeet\tV\tCONSULT\n")
    with pytest.raises(DataFileError, match=r"events/triggers\.tsv:2: expected at least 6"):
        event_lexicon._rows("triggers.tsv", 6)


def test_actor_files_name_the_line_of_a_bad_row(tmp_path: Path) -> None:
    from dotterel.actors.knowledge import ActorKnowledge, KnowledgeError

    extra = tmp_path / "mine.tsv"
    extra.write_text("name\tkind\tcode\tcountry\tsector\trole\taliases\n\nAcme Party\tbogus\tACM\t\t\t\t\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"mine\.tsv:3"):
        ActorKnowledge.load([extra])
