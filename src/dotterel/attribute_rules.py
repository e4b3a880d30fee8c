"""spaCy's ``attribute_ruler`` matches, found from token arrays instead of its Matcher.

The English pipelines' attribute ruler maps fine-grained tags to parts of speech and
morphology with about 180 one- and two-token patterns (``TAG``, ``LOWER``, ``DEP``...,
no operators). spaCy runs them through its general token Matcher, which tries every
pattern at every token: 25–35 ms a VOA story on our 2-core machines. The same patterns,
tested column-wise on ``Doc.to_array`` with numpy, find the same matches in 4–6 ms (and
no slower on one sentence); the ruler then sets the attributes as before, so annotations
are unchanged (``tests/test_attribute_rules.py`` compares both). The whole coder gained
about 1.045× (docs/benchmarks.md, "Throughput").

Only patterns this module can read are compiled: plain values, ``IN``, ``NOT_IN`` and
``REGEX`` on token attributes, one token per dict. A ruler with any other pattern (an
``OP``, a comparison, an extension attribute) keeps spaCy's Matcher, and so does a ruler
whose patterns changed after it was compiled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import IDS
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

#: Predicates read from a pattern's dict values.
_SET_PREDICATES = ("IN", "NOT_IN")
#: Token attributes a pattern may test; all are plain per-token values in ``Doc.to_array``.
_ATTRIBUTES = ("ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "PREFIX", "SUFFIX",
               "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
               "IS_SPACE", "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL")


#: Answers of a regex test kept per pattern, by string hash, before they are all dropped.
SEARCH_CACHE = 100_000


class _Unsupported(Exception):
    """A pattern this module does not compile."""


@dataclass(frozen=True)
class _Test:
    """One condition on one attribute column: equal to a value, in or out of a set, or a regex."""

    column: int
    kind: str  # "eq", "in", "not_in" or "regex"
    value: Any


@dataclass(frozen=True)
class _Pattern:
    key: int  # the ruler's attribute-set index, which is its Matcher key as a number
    tests: tuple[tuple[int, ...], ...]  # per token of the pattern, indices into the matcher's tests

    @property
    def length(self) -> int:
        return len(self.tests)


class ArrayMatcher:
    """What :meth:`spacy.pipeline.AttributeRuler.match` returns, for patterns without operators.

    Build one with :meth:`for_ruler`; calling it on a Doc gives the sorted
    ``(attribute index, match id, start, end)`` tuples the ruler sets attributes from.
    """

    def __init__(self, ruler: AttributeRuler, patterns: list[_Pattern], tests: list[_Test],
                 attributes: list[int]) -> None:
        self._ruler = ruler
        self._size = len(ruler.attrs)
        self._attributes: list[int | str] = list(attributes)  # Doc.to_array's columns
        self._tests = tests
        strings = ruler.vocab.strings
        keys = sorted({p.key for p in patterns})
        self._match_ids = np.zeros(max(keys) + 1, dtype=np.uint64)
        for key in keys:
            self._match_ids[key] = strings.add(str(key))
        # Every value a column is compared with, once: a Doc compares each column with all of them at once.
        self._values: dict[int, np.ndarray] = {}
        for column in range(len(attributes)):
            used = {int(v) for t in tests if t.column == column and t.kind != "regex"
                    for v in np.atleast_1d(t.value).tolist()}
            if used:
                self._values[column] = np.array(sorted(used), dtype=np.uint64)
        # Equality tests column by column (test indices, value indices); set and regex tests one by one.
        self._equal: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for column, values in self._values.items():
            picked = [(i, int(np.searchsorted(values, t.value))) for i, t in enumerate(tests)
                      if t.column == column and t.kind == "eq"]
            if picked:
                self._equal[column] = (np.array([i for i, _ in picked]), np.array([v for _, v in picked]))
        self._sets = [(i, t.column, np.searchsorted(self._values[t.column], t.value), t.kind == "not_in")
                      for i, t in enumerate(tests) if t.kind in ("in", "not_in")]
        self._regexes = [(i, t.column, t.value) for i, t in enumerate(tests) if t.kind == "regex"]
        self._searched: dict[str, dict[int, bool]] = {}
        # One-token patterns: hit where all of a pattern's tests hold, as a product with a 0/1 matrix.
        single = [p for p in patterns if p.length == 1]
        self._single_keys = np.array([p.key for p in single], dtype=np.int64)
        self._single_tests = np.zeros((len(tests), len(single)), dtype=np.float32)
        for j, pattern in enumerate(single):
            self._single_tests[list(pattern.tests[0]), j] = 1.0
        self._single_counts = self._single_tests.sum(axis=0)
        self._longer = [p for p in patterns if p.length > 1]
        self._longest = max(p.length for p in patterns)

    @classmethod
    def for_ruler(cls, ruler: AttributeRuler) -> ArrayMatcher | None:
        """The compiled matcher of ``ruler``'s patterns, or None when one of them is not supported."""
        attributes: list[int] = []
        tests: list[_Test] = []
        patterns: list[_Pattern] = []
        strings = ruler.vocab.strings
        try:
            for key in range(len(ruler.attrs)):
                found = ruler.matcher.get(str(key))
                if found is None:
                    raise _Unsupported(key)
                on_match, alternatives = found
                if on_match is not None:
                    raise _Unsupported(key)
                for alternative in alternatives:
                    patterns.append(_Pattern(key, tuple(_token_tests(spec, attributes, tests, strings)
                                                        for spec in alternative)))
        except _Unsupported:
            return None
        if not patterns or any(p.length == 0 for p in patterns):
            return None  # nothing to speed up, or a pattern this module cannot read
        return cls(ruler, patterns, tests, attributes)

    def install(self) -> None:
        """Make the ruler use this matcher (its own Matcher stays, for the fallback)."""
        self._ruler.match = self  # type: ignore[method-assign]

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if len(self._ruler.attrs) != self._size:  # patterns added since: spaCy's Matcher knows them
            return list(AttributeRuler.match(self._ruler, doc))
        n = len(doc)
        if n == 0:
            return []
        held = self._held(doc.to_array(self._attributes).reshape(n, len(self._attributes)))
        rows, columns = np.nonzero(held.astype(np.float32) @ self._single_tests == self._single_counts)
        keys, starts, lengths = [self._single_keys[columns]], [rows.astype(np.int64)], [np.ones(len(rows), np.int64)]
        for pattern in self._longer:
            if pattern.length > n:
                continue
            span = n - pattern.length + 1
            hits = np.ones(span, dtype=bool)
            for offset, tests in enumerate(pattern.tests):
                hits &= held[offset:offset + span, list(tests)].all(axis=1)
            found = np.flatnonzero(hits)
            keys.append(np.full(len(found), pattern.key, np.int64))
            starts.append(found.astype(np.int64))
            lengths.append(np.full(len(found), pattern.length, np.int64))
        # (key, start, end) sorted and without repeats, as one number each
        width = self._longest + 1
        code = np.unique((np.concatenate(keys) * (n + 1) + np.concatenate(starts)) * width + np.concatenate(lengths))
        key_of, rest = np.divmod(code, (n + 1) * width)
        start_of, length_of = np.divmod(rest, width)
        return list(zip(key_of.tolist(), self._match_ids[key_of].tolist(), start_of.tolist(),
                        (start_of + length_of).tolist(), strict=True))

    def _held(self, table: np.ndarray) -> np.ndarray:
        """Whether each test holds at each token: a (tokens x tests) boolean matrix."""
        held = np.zeros((len(table), len(self._tests)), dtype=bool)
        equal = {column: table[:, column, None] == values[None, :] for column, values in self._values.items()}
        for column, (tests, values) in self._equal.items():
            held[:, tests] = equal[column][:, values]
        for index, column, values, negated in self._sets:
            inside = equal[column][:, values].any(axis=1)
            held[:, index] = ~inside if negated else inside
        for index, column, regex in self._regexes:
            held[:, index] = self._search(regex, table[:, column])
        return held

    def _search(self, regex: re.Pattern[str], column: np.ndarray) -> np.ndarray:
        """Whether ``regex`` is found in each token's string; answers are kept by string hash, a bounded number."""
        known = self._searched.setdefault(regex.pattern, {})
        strings = self._ruler.vocab.strings
        values = np.unique(column).tolist()
        if len(known) + len(values) > SEARCH_CACHE:
            known.clear()
        passing = []
        for value in values:
            found = known.get(value)
            if found is None:
                found = known[value] = bool(regex.search(strings[value]))
            if found:
                passing.append(value)
        return np.isin(column, np.array(passing, dtype=np.uint64))


def install(ruler: AttributeRuler) -> bool:
    """Give ``ruler`` an :class:`ArrayMatcher` if its patterns allow; True when it did."""
    matcher = ArrayMatcher.for_ruler(ruler)
    if matcher is None:
        return False
    matcher.install()
    return True


def _token_tests(spec: dict[str, Any], attributes: list[int], known: list[_Test], strings: Any) -> tuple[int, ...]:
    """The indices in ``known`` of one pattern token's tests (new ones appended); ``attributes`` likewise."""
    tests = []
    for name, value in spec.items():
        if not isinstance(name, str) or name.upper() not in _ATTRIBUTES:
            raise _Unsupported(name)
        upper = "ORTH" if name.upper() == "TEXT" else name.upper()
        attr = IDS[upper]
        if attr not in attributes:
            attributes.append(attr)
        test = _value_test(attributes.index(attr), value, strings)
        same = [i for i, other in enumerate(known) if _same(test, other)]
        if not same:
            known.append(test)
        tests.append(same[0] if same else len(known) - 1)
    return tuple(tests)


def _same(a: _Test, b: _Test) -> bool:
    if (a.column, a.kind) != (b.column, b.kind):
        return False
    if a.kind == "regex":
        return bool(a.value.pattern == b.value.pattern)
    return bool(np.array_equal(a.value, b.value))


def _value_test(column: int, value: Any, strings: Any) -> _Test:
    # The Matcher's own reading of a value (spacy/matcher/matcher.pyx, _get_attr_values and predicates).
    if isinstance(value, str):
        return _Test(column, "eq", np.uint64(strings.add(value)))
    if isinstance(value, bool):
        return _Test(column, "eq", np.uint64(int(value)))
    if isinstance(value, int) and value >= 0:
        return _Test(column, "eq", np.uint64(value))
    if isinstance(value, dict) and len(value) == 1:
        ((predicate, argument),) = value.items()
        if predicate in _SET_PREDICATES and isinstance(argument, list | tuple) \
                and all(isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)
                        for v in argument):
            hashes = np.array(sorted({get_string_id(v) for v in argument}), dtype=np.uint64)
            return _Test(column, "in" if predicate == "IN" else "not_in", hashes)
        if predicate == "REGEX" and isinstance(argument, str):
            return _Test(column, "regex", re.compile(argument))
    raise _Unsupported(value)
