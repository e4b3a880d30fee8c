"""A reviewed snapshot of the example story's whole output, and the README's demo checked against it.

Any change to what dotterel finds in ``examples/tokayev-interview.txt`` (events, quotes, places,
dates, actors, spans) fails here until ``tests/snapshots/tokayev.json`` is regenerated and the
diff reviewed::

    pytest tests/test_snapshot.py --update-snapshots      # or DOTTEREL_UPDATE_SNAPSHOTS=1 pytest ...
    git diff tests/snapshots/                               # review, then commit

Left out of the comparison (they change without the output changing): ``coder.version`` and
``coder.knowledge`` (the knowledge-files hash).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dotterel.cli import app

from .conftest import EXAMPLE, EXAMPLE_PUB_DATE, ROOT

SNAPSHOT = Path(__file__).parent / "snapshots" / "tokayev.json"
UPDATE_ENV = "DOTTEREL_UPDATE_SNAPSHOTS"
VOLATILE_CODER_KEYS = ("version", "knowledge")
HOW_TO_UPDATE = (f"if the change is intended, regenerate with `pytest tests/test_snapshot.py --update-snapshots` "
                 f"(or {UPDATE_ENV}=1), review `git diff tests/snapshots/` and commit it")

runner = CliRunner()


def _updating(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots")) or os.environ.get(UPDATE_ENV, "") not in ("", "0")


def _code(*extra: str) -> Any:
    result = runner.invoke(app, ["code", str(EXAMPLE), "--pub-date", EXAMPLE_PUB_DATE, *extra])
    assert result.exit_code == 0, result.output
    return result


def _stable(record: dict[str, Any]) -> dict[str, Any]:
    coder = {k: v for k, v in record["coder"].items() if k not in VOLATILE_CODER_KEYS}
    return {**record, "coder": coder}


def _pretty(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def test_example_output_matches_the_reviewed_snapshot(request: pytest.FixtureRequest) -> None:
    (line,) = _code().stdout.splitlines()
    record = _stable(json.loads(line))
    if _updating(request):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(_pretty(record), encoding="utf-8")
        pytest.skip(f"snapshot rewritten: {SNAPSHOT}")
    assert SNAPSHOT.exists(), f"no snapshot at {SNAPSHOT}: {HOW_TO_UPDATE}"
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if record != expected:
        counts = {k: (len(expected.get(k) or []), len(record.get(k) or []))
                  for k in ("actors", "places", "dates", "quotes", "events", "errors")}
        changed = ", ".join(f"{k} {a}->{b}" if a != b else k for k, (a, b) in counts.items()
                            if expected.get(k) != record.get(k))
        diff = list(difflib.unified_diff(_pretty(expected).splitlines(), _pretty(record).splitlines(),
                                         "snapshot", "now", lineterm="", n=2))
        shown = "\n".join(diff[:120]) + ("\n..." if len(diff) > 120 else "")
        pytest.fail(f"the example story's output changed ({changed or 'other fields'}); {HOW_TO_UPDATE}.\n{shown}",
                    pytrace=False)


def _readme_demo_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"`make demo` prints \(abridged\):\n\n```\n(.*?)```", text, re.S)
    assert match, "README.md: the block after '`make demo` prints (abridged):' is gone"
    return [ln.rstrip() for ln in match.group(1).splitlines() if ln.strip() and ln.strip() != "..."]


def test_readme_demo_output_is_the_real_table() -> None:
    result = _code("--format", "table")
    real = {ln.rstrip() for ln in result.stdout.splitlines()}
    *table, summary = _readme_demo_lines()
    missing = [ln for ln in table if ln not in real]
    assert not missing, ("README.md's `make demo` block has lines the real `make demo` output lacks "
                         "(copy them from `dotterel code examples/tokayev-interview.txt --pub-date 2025-01-03 "
                         "--format table`):\n" + "\n".join(missing))
    # the summary line, without its speed
    assert summary.rsplit(", ", 1)[0] in result.stderr, f"README summary {summary!r} vs {result.stderr!r}"
