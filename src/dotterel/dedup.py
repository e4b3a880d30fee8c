"""Near-duplicate stories: MinHash signatures of word shingles, banded for lookup.

The same wire story republished by several outlets differs in a headline, a
byline or a paragraph. We compare stories by the Jaccard similarity of their
word 5-gram sets, estimated with MinHash (datasketch, the maintained Python
implementation; 64 permutations). For lookup the signature is cut into
``BANDS`` bands of ``ROWS`` values each; two stories become candidates when one
band is identical (the LSH "banding" trick, stored in the ``doc_bands`` table so
lookups work across runs), and are linked when the estimated similarity is at
least :data:`THRESHOLD`. With 16 bands of 4 rows a pair at similarity 0.7 becomes
a candidate with probability 1 − (1 − 0.7⁴)¹⁶ ≈ 0.99, a pair at 0.3 with ≈ 0.12
(candidates below the threshold are then dropped by comparing signatures).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from .errors import missing_dependency

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
#: Estimated Jaccard similarity at or above which two stories are the same story.
THRESHOLD = 0.7
_SEED = 1
_WORD = re.compile(r"\w+", re.UNICODE)
_TEMPLATE: Any = None


@dataclass(frozen=True, slots=True)
class Signature:
    """A story's MinHash values and the band keys derived from them."""

    values: tuple[int, ...]
    bands: tuple[int, ...]

    def to_bytes(self) -> bytes:
        return struct.pack(f"<{len(self.values)}I", *self.values)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        values = struct.unpack(f"<{len(data) // 4}I", data)
        return cls(tuple(values), band_keys(values))

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity: the share of equal MinHash values."""
        same = sum(1 for a, b in zip(self.values, other.values, strict=True) if a == b)
        return same / len(self.values)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Lower-cased word ``size``-grams of ``text`` (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def band_keys(values: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """One signed 64-bit key per band (BLAKE2b of the band's values, band number included)."""
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<B{ROWS}I", band, *chunk), digest_size=8).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return tuple(keys)


def signature(text: str) -> Signature | None:
    """The MinHash signature of a story's text, or ``None`` when it has no words."""
    global _TEMPLATE
    grams = shingles(text)
    if not grams:
        return None
    try:
        from datasketch import MinHash
    except ImportError as exc:
        raise missing_dependency("datasketch", "store") from exc
    if _TEMPLATE is None:
        # CRC-32 of each shingle: stable across processes (signatures are stored) and ~3x
        # faster than datasketch's default SHA-1; MinHash only needs well-spread 32-bit values
        _TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=zlib.crc32)
    mh = _TEMPLATE.copy()
    mh.update_batch(sorted(grams))
    values = tuple(int(v) for v in mh.hashvalues)
    return Signature(values, band_keys(values))


def best_match(sig: Signature, candidates: list[tuple[str, Signature]],
               threshold: float = THRESHOLD) -> str | None:
    """The candidate id most similar to ``sig`` at or above ``threshold`` (ties: smallest id)."""
    best: tuple[float, str] | None = None
    for ident, other in candidates:
        score = sig.similarity(other)
        if score >= threshold and (best is None or (-score, ident) < (-best[0], best[1])):
            best = (score, ident)
    return None if best is None else best[1]
