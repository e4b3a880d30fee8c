"""The reliability probe (../shared/notes/reliability-probe.md) replayed: every line a test.

Each test names the probe line it replays (B1, B2, ..., W1, Q1, E1, S1, ...). The
documents are written here, not copied from the probe's data.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dotterel.cli import app

runner = CliRunner()
G = "Kenya and Uganda signed a trade agreement in Nairobi on Monday, officials said."


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# B6: output file == input file
def test_b6_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    same = _jsonl(tmp_path / "same.jsonl", {"id": "a", "text": G}, {"id": "b", "text": G})
    before = same.read_bytes()
    result = runner.invoke(app, ["code", str(same), "-o", str(same)])
    assert result.exit_code == 2
    assert "also an input" in result.stderr
    assert same.read_bytes() == before
    # the same through another spelling of the path and through the input's directory
    result = runner.invoke(app, ["code", str(tmp_path), "-o", str(tmp_path / "." / "same.jsonl")])
    assert result.exit_code == 2 and same.read_bytes() == before
    result = runner.invoke(app, ["code", str(tmp_path), "-o", str(same)])
    assert result.exit_code == 2 and "file of the input directory" in result.stderr
    assert same.read_bytes() == before


# B7: --output into a missing directory or onto a directory
def test_b7_output_into_missing_directory_or_onto_a_directory(tmp_path: Path) -> None:
    doc = _jsonl(tmp_path / "in.jsonl", {"id": "a", "text": G})
    result = runner.invoke(app, ["code", str(doc), "-o", str(tmp_path / "no" / "dir" / "o.jsonl")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    out_dir = tmp_path / "outdir"
    out_dir.mkdir()
    result = runner.invoke(app, ["code", str(doc), "-o", str(out_dir)])
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
