"""Short synthetic stories for the parallel-engine tests (written for these tests)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

_SOURCES = ["Russia", "France", "Germany", "Japan", "Kenya", "Brazil", "India", "Canada"]
_TARGETS = ["Ukraine", "China", "Mexico", "Egypt", "Turkey", "Peru", "Norway", "Chile"]
_ACTS = [
    "{s} signed a trade agreement with {t} on Monday.",
    "{s} accused {t} of spying on its diplomats.",
    "The president of {s} met the foreign minister of {t} in the capital.",
    "{s} sent humanitarian aid to {t} after the floods.",
    "Troops from {s} attacked positions in {t} overnight, officials said.",
    "{s} condemned the decision by {t} to close the border.",
]
_TAILS = [
    "Officials described the talks as constructive.",
    "The ministry did not comment further.",
    "Analysts said relations had been tense for months.",
    "Markets barely moved after the announcement.",
]


def story(i: int) -> dict[str, str]:
    s, t = _SOURCES[i % len(_SOURCES)], _TARGETS[(i // 3) % len(_TARGETS)]
    text = _ACTS[i % len(_ACTS)].format(s=s, t=t) + " " + _TAILS[i % len(_TAILS)]
    return {"id": f"s{i:05d}", "title": f"{s} and {t}", "text": text,
            "pub_date": f"2025-{1 + i % 4:02d}-{1 + i % 27:02d}"}


def write_corpus(path: Path, n: int, *, gz: bool = False, start: int = 0) -> Path:
    lines = "".join(json.dumps(story(i)) + "\n" for i in range(start, start + n))
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path
