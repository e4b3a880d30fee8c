"""Cheap checks that run before a document reaches spaCy.

Each returns ``None`` when the document may be coded, else a
:class:`~dotterel.model.DocumentError`. They cost microseconds per story: the
language check looks at the share of common English function words and of
Latin letters in the first few thousand characters, nothing more.
"""

from __future__ import annotations

import re

from .errors import doc_error_message
from .language import word_set
from .model import Document, DocumentError

#: Default limit on a story's length in characters (title + body). A long
#: newspaper feature is 10–30 thousand; 200,000 is a short book.
DEFAULT_MAX_CHARS = 200_000
#: The highest max_chars a Coder accepts: spaCy's pipeline refuses longer texts
#: (``nlp.max_length``, error E088), and the parser needs about 1 GB per 100,000 characters.
MAX_CHARS_LIMIT = 1_000_000

#: Function words (data/en/words.tsv): a text is English when enough of its lower-case words are.
_ENGLISH_FUNCTION_WORDS = word_set("checks.function_words")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: How much of the text the language check reads.
_SAMPLE = 4000


def check_document(document: Document, *, max_chars: int = DEFAULT_MAX_CHARS) -> DocumentError | None:
    """The first reason ``document`` cannot be coded, or ``None``."""
    text = document.text
    if not text.strip():
        return DocumentError("empty_text", doc_error_message("empty_text"))
    if "\x00" in text or len(_CONTROL.findall(text[:_SAMPLE])) > max(3, len(text[:_SAMPLE]) // 100):
        return DocumentError("binary", doc_error_message("binary", "remove control characters or pass the right file"))
    length = len(text) + len(document.title or "")
    if length > max_chars:
        return DocumentError(
            "too_long",
            doc_error_message(
                "too_long", f"{length:,} characters > {max_chars:,}; split the story or raise max_chars"
            ),
        )
    language = document.language.lower() if document.language else "en"
    if not (language == "en" or language.startswith("en-") or language.startswith("en_")):
        return DocumentError("not_english", doc_error_message("not_english", f"language is {document.language!r}"))
    if not looks_english(text):
        return DocumentError("not_english", doc_error_message("not_english", "too few English words"))
    return None


def looks_english(text: str) -> bool:
    """Whether ``text`` plausibly is English: Latin script and enough function words.

    Function words are counted among lower-case words only, since names are
    shared by every language (a headline-like sentence of names and a few verbs
    is still English). Texts with fewer than 8 lower-case words are judged by
    their script alone.
    """
    sample = text[:_SAMPLE]
    words = _WORD.findall(sample)
    if not words:
        return True
    latin = sum(1 for w in words if w.isascii() or _mostly_latin(w))
    if len(words) >= 4 and latin / len(words) < 0.7:
        return False
    lower = [w for w in words if w[0].islower()]
    if len(lower) < 8:
        return True
    hits = sum(1 for w in lower if w in _ENGLISH_FUNCTION_WORDS)
    return hits / len(lower) >= 0.14


def _mostly_latin(word: str) -> bool:
    return sum(1 for ch in word if ch.isascii() or "\u00c0" <= ch <= "\u024f") >= len(word) / 2
