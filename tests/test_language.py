"""The English words the rules name live in data/en/words.tsv, checked on reading."""

from __future__ import annotations

import pytest

import dotterel.datafiles as datafiles
from dotterel.datafiles import DataFileError
from dotterel.language import word_lists, word_set, words


def test_the_rules_word_lists_are_read_from_the_language_folder() -> None:
    lists = word_lists()
    assert words("roles.target_preps")[:2] == ("against", "on")  # order of preference kept
    assert "the" in word_set("checks.function_words")
    assert "the day after tomorrow" in words("dates.day_words")
    assert all(lists.values())


def test_a_missing_list_is_named() -> None:
    with pytest.raises(DataFileError, match=r"no list 'roles\.nope'"):
        words("roles.nope")


def test_a_repeated_word_names_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    real = datafiles.data_text
    monkeypatch.setattr(datafiles, "data_text",
                        lambda n: "# test\nx.a\tone\nx.a\ttwo\nx.a\tone\n" if n == "xx/words.tsv" else real(n))
    with pytest.raises(DataFileError, match=r"xx/words\.tsv:4: 'one' is already in list 'x.a'"):
        word_lists("xx")
