"""The word index behind the ``text`` filter (schema version 4).

``doc_words`` holds one row (doc_id, word_hash) per distinct lower-cased word
of a document's title and text. It is a view over :data:`PARTS` tables
``doc_words_p00`` ... (``word_hash & (PARTS - 1)`` picks the table), so that
looking a word up scans one table, 1/32 of the rows, without an index (an ART
index on a 45 M-row table doubles the store and makes the first lookup after
attaching slow, as it loads). A word is a maximal run of word characters
(Python's ``\\w``: letters, digits, underscore); its hash is the first 8 bytes
of BLAKE2b over its UTF-8 bytes, read as a signed big-endian 64-bit integer —
stable across processes and versions, unlike Python's ``hash()``.

``text=Q`` then means: the title or the text contains Q, any case, as whole
words (Q does not start or end inside a word of the story). The stories having
every word of Q are found through the index; only those are checked with a
regular expression (:func:`phrase_pattern`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

#: Number of partition tables of the word index (a power of two).
PARTS = 32

#: What counts as a word (for the index and for queries).
WORD = re.compile(r"\w+")
#: The same class for DuckDB's RE2 (letters, numbers, underscore).
RE2_WORD = r"[\pL\pN_]"


def word_hash(word: str) -> int:
    """Stable signed 64-bit hash of one (already lower-cased) word."""
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def words(text: str | None) -> list[str]:
    """The lower-cased words of ``text``, in order, with repeats."""
    return [w.lower() for w in WORD.findall(text or "")]


def doc_word_hashes(title: str | None, text: str | None) -> list[int]:
    """The sorted distinct word hashes of a document's title and text (its index rows)."""
    return sorted({word_hash(w) for part in (title, text) for w in words(part)})


def query_hashes(query: str) -> list[int]:
    """The sorted distinct word hashes of a ``text`` query (empty when it has no word)."""
    return sorted({word_hash(w) for w in words(query)})


def _re2_escape(text: str) -> str:
    """``text`` as a literal in an RE2 pattern (ASCII punctuation backslashed)."""
    return "".join("\\" + c if c.isascii() and not c.isalnum() and not c.isspace() else
                   ("\\n" if c == "\n" else "\\t" if c == "\t" else c) for c in text)


def phrase_pattern(query: str) -> str:
    """RE2 pattern: ``query`` in any case, not starting or ending inside a word.

    The boundary (start/end of the string or a non-word character) is
    required only on a side where ``query`` begins / ends with a word
    character: ``"U.S."`` matches in ``"the U.S.A"`` but ``"cease"`` does not
    match in ``"ceasefire"``. :func:`phrase_matches` is the same rule in Python.
    """
    head = "(?:^|[^\\pL\\pN_])" if query[:1] and WORD.match(query[:1]) else ""
    tail = "(?:$|[^\\pL\\pN_])" if query[-1:] and WORD.match(query[-1:]) else ""
    return "(?is)" + head + _re2_escape(query) + tail


def phrase_matches(query: str, text: str | None) -> bool:
    """Python reference of the ``text`` filter on one title or text (used by tests)."""
    if not text:
        return False
    head = r"(?<!\w)" if query[:1] and WORD.match(query[:1]) else ""
    tail = r"(?!\w)" if query[-1:] and WORD.match(query[-1:]) else ""
    return re.search(head + re.escape(query) + tail, text, re.IGNORECASE) is not None


def rows(doc_ids: Iterable[str], titles: Iterable[str | None], texts: Iterable[str | None]
         ) -> dict[str, list[Any]]:
    """``doc_words`` columns for documents given as parallel sequences."""
    out: dict[str, list[Any]] = {"doc_id": [], "word_hash": []}
    for doc_id, title, text in zip(doc_ids, titles, texts, strict=True):
        hashes = doc_word_hashes(title, text)
        out["doc_id"].extend([doc_id] * len(hashes))
        out["word_hash"].extend(hashes)
    return out


def part_table(word_hash_value: int) -> str:
    """The partition table holding the rows of a word hash."""
    return f"doc_words_p{word_hash_value & (PARTS - 1):02d}"


def create_sql() -> list[str]:
    """Statements creating the partition tables and the ``doc_words`` view over them."""
    tables = [f"doc_words_p{p:02d}" for p in range(PARTS)]
    return [*(f"CREATE TABLE {t} (doc_id VARCHAR NOT NULL, word_hash BIGINT NOT NULL)" for t in tables),
            "CREATE VIEW doc_words AS " + " UNION ALL ".join(f"SELECT * FROM {t}" for t in tables)]


def insert(con: Any, pa: Any, data: dict[str, list[Any]]) -> None:
    """Insert ``doc_words`` rows (columns doc_id, word_hash) into their partition tables."""
    if not data["doc_id"]:
        return
    con.register("_dotterel_new_words", pa.table(data))
    try:
        for p in range(PARTS):
            con.execute(f"INSERT INTO doc_words_p{p:02d} SELECT doc_id, word_hash FROM _dotterel_new_words "
                        f"WHERE word_hash & {PARTS - 1} = {p}").fetchall()
    finally:
        con.unregister("_dotterel_new_words")


def delete(con: Any, doc_ids: list[str]) -> None:
    """Delete the word index rows of ``doc_ids``."""
    for p in range(PARTS):
        con.execute(f"DELETE FROM doc_words_p{p:02d} WHERE doc_id IN (SELECT unnest(?))", [doc_ids]).fetchall()
