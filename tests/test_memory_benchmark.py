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


def _log(path: Path, rss: list[int] | list[list[int]], target: int) -> Path:
    header = {"commit": "abc1234", "started": "2026-12-02 07:00:00 UTC", "target": target,
              "corpus": "voa_stories.jsonl", "machine": "test"}
    lines: list[dict[str, object]] = [header]
    for i, r in enumerate(rss):
        line: dict[str, object] = {"stories": 1_000 * (i + 1), "hwm_mb": 500, "elapsed_s": 90 * (i + 1)}
        line |= {"rss_mb": max(r), "rss_each_mb": r} if isinstance(r, list) else {"rss_mb": r}
        lines.append(line)
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
    summary = memory.summarize(_log(tmp_path / "m.jsonl", list(range(270, 330, 2)), target=30_000))
    assert summary["finished"] is True and summary["growth"] > 0.10
    assert summary["floor"] == (270, 310) and summary["flat"] is False
    memory.write_section(summary, "m.jsonl")
    text = (tmp_path / "benchmarks.md").read_text()
    assert "**NOT flat**" in text and "had not finished" not in text


def test_a_log_without_samples_is_refused(memory: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no samples"):
        memory.summarize(_log(tmp_path / "m.jsonl", [], target=100))


def test_a_batch_of_long_stories_at_one_sample_is_not_growth(memory: ModuleType, tmp_path: Path) -> None:
    # two workers; whichever last parsed a batch of long stories sits ~200 MB higher for a while
    rss = [[293, 512], [499, 293], [293, 496]] + [[293, 300]] * 20 + [[293, 294]]
    summary = memory.summarize(_log(tmp_path / "m.jsonl", rss, target=24_000))
    assert summary["growth"] < -0.4  # one sample against another
    assert summary["floor"] == (293, 293) and summary["peak"] == (512, 300) and summary["flat"] is True
    memory.write_section(summary, "m.jsonl")
    text = (tmp_path / "benchmarks.md").read_text()
    assert "| 1,000 | 293 / 512 MB |" in text and "293 MB and 294 MB (each worker)" in text
    assert "**flat (within 10 %)**" in text


def test_a_floor_that_creeps_up_is_growth(memory: ModuleType, tmp_path: Path) -> None:
    rss = [[280 + i, 500] for i in range(40)]
    summary = memory.summarize(_log(tmp_path / "m.jsonl", rss, target=40_000))
    assert summary["window_growth"]["floor"] > 0.10 and summary["flat"] is False
