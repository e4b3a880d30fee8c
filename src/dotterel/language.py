"""The words of one language that dotterel's rules name: read from ``data/<language>/words.tsv``.

Rules in Python say *how* a word is used ("a name after one of these prepositions is a
place"); which words those are is data, so that a second language is a folder of data
(``data/<language>/``) plus a spaCy model, not a rewrite (see docs/design.md, "What a second
language needs"). Each row of ``words.tsv`` is ``list<TAB>word`` (a word or a phrase); a list
keeps the order of its rows, since some rules try words in order of preference.
"""

from __future__ import annotations

from functools import cache

from .datafiles import DataFileError, check, read_tsv

#: The language whose words are used (the only one shipped).
LANGUAGE = "en"


@cache
def word_lists(language: str = LANGUAGE) -> dict[str, tuple[str, ...]]:
    """Every word list of ``language``: name → words in file order; raises DataFileError
    naming the line of a repeated word."""
    lists: dict[str, list[str]] = {}
    for row in read_tsv(f"{language}/words.tsv", min_cols=2):
        name, word = row.cells[0], row.cells[1]
        check(bool(name) and bool(word), row.where, "list name and word are required")
        words = lists.setdefault(name, [])
        check(word not in words, row.where, f"{word!r} is already in list {name!r}")
        words.append(word)
    return {name: tuple(words) for name, words in lists.items()}


def words(name: str, language: str = LANGUAGE) -> tuple[str, ...]:
    """The words of list ``name`` ("roles.target_preps"), in file order."""
    lists = word_lists(language)
    if name not in lists:
        raise DataFileError(f"{language}/words.tsv: no list {name!r} (rules need it)")
    return lists[name]


def word_set(name: str, language: str = LANGUAGE) -> frozenset[str]:
    """The words of list ``name`` as a set."""
    return frozenset(words(name, language))
