"""benchmarks/memory.py: a log of RSS samples becomes a verdict and a section of the docs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT, load_script


@pytest.fixture()
def memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    module = load_script("memory", "benchmarks")
    monkeypatch.setattr(sys.modules["store_common"], "DOC", tmp_path / "benchmarks.md")
    return module


def _log(path: Path, rss: list[int], target: int) -> Path:
    header = {"commit": "abc1234", "started": "2026-12-02 07:00:00 UTC", "target": target,
              "corpus": "voa_stories.jsonl", "machine": "test"}
    lines = [header] + [{"stories": 1_000 * (i + 1), "rss_mb": r, "hwm_mb": 500, "elapsed_s": 90 * (i + 1)}
                        for i, r in enumerate(rss)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_an_unfinished_flat_run_says_so(memory: ModuleType, tmp_path: Path) -> None:
    summary = memory.summarize(_log(tmp_path / "m.jsonl", [270, 272, 275], target=100_000))
    assert summary["finished"] is False and summary["growth"] == pytest.approx(0.019, abs=1e-3)
    memory.write_section(summary, "m.jsonl")
    text = (tmp_path / "benchmarks.md").read_text()
    assert "had not finished" in text and "3,000 of" in text and "**flat (within 10 %) so far**" in text
    assert "270–275 MB" in text


def test_growth_beyond_ten_percent_is_not_flat(memory: ModuleType, tmp_path: Path) -> None:
    summary = memory.summarize(_log(tmp_path / "m.jsonl", [270, 290, 310], target=3_000))
    assert summary["finished"] is True and summary["growth"] > 0.10
    memory.write_section(summary, "m.jsonl")
    text = (tmp_path / "benchmarks.md").read_text()
    assert "**NOT flat**" in text and "had not finished" not in text


def test_a_log_without_samples_is_refused(memory: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no samples"):
        memory.summarize(_log(tmp_path / "m.jsonl", [], target=100))
