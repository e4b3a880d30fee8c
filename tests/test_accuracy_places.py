"""The GeoWebNews scoring of benchmarks/accuracy_places.py, on records written here."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "accuracy_places.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("accuracy_places", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold(start: int, end: int, name: str, kind: str = "Literal", modifier: str | None = None,
         gid: int | None = None, lat: float | None = None, lon: float | None = None) -> dict[str, Any]:
    return {"start": start, "end": end, "name": name, "type": kind, "modifier": modifier,
            "geonames_id": gid, "lat": lat, "lon": lon, "gazetteer_name": name}


def place(name: str, start: int, lat: float | None, lon: float | None, gid: int | None,
          feature: str = "city") -> dict[str, Any]:
    return {"name": name, "country": None, "admin1": None, "lat": lat, "lon": lon, "geonames_id": gid,
            "feature": feature,
            "mentions": [{"start": start, "end": start + len(name), "text": name, "in_title": False}]}


def test_required_toponyms_follow_the_readme(bench: ModuleType) -> None:
    assert bench.required(gold(0, 5, "Paris"))
    assert bench.required(gold(0, 5, "Paris", "Metonymic"))
    assert bench.required(gold(0, 5, "Paris", "Literal_Modifier", "Noun"))
    assert not bench.required(gold(0, 6, "Syrian", "Non_Literal_Modifier", "Adjective"))
    assert not bench.required(gold(0, 6, "French", "Demonym"))
    assert not bench.required(gold(0, 10, "Washington", "Embedded_Non_Lit", "Noun"))


def test_scores_overlap_one_to_one_distance_and_error_kinds(bench: ModuleType) -> None:
    text = "Floods hit Paris and Lyon; the Syrian army left Homs. Tokyo said."
    record = {"id": "t1", "text": text, "gold": {"toponyms": [
        gold(11, 16, "Paris", gid=2988507, lat=48.85, lon=2.35),
        gold(21, 25, "Lyon", gid=2996944, lat=45.75, lon=4.85),
        gold(31, 37, "Syrian", "Non_Literal_Modifier", "Adjective"),
        gold(48, 52, "Homs", gid=169577, lat=34.73, lon=36.72),
        gold(54, 59, "Tokyo", "Metonymic", gid=1850147, lat=35.69, lon=139.69),
    ]}}
    coded = {"places": [
        place("Paris", 11, 33.66, -95.56, 4717560),  # Paris, Texas: found, far, another record
        place("Lyon", 21, 45.76, 4.84, 2996944),  # right
        place("Syrian", 31, 35.0, 38.0, 163843, "country"),  # on a non-required span
        place("Tokyo", 54, None, None, None, "other"),  # found, no point
    ]}
    result = bench.evaluate([record], [coded], feature_of=lambda gid: "city")
    assert (result["gold_required"], result["predicted"], result["found"]) == (4, 4, 3)
    assert result["precision"] == pytest.approx(3 / 4) and result["recall"] == pytest.approx(3 / 4)
    assert result["geocoded"] == 3 and result["accuracy_161km"] == pytest.approx(1 / 3)
    assert result["geonames_id_match"] == pytest.approx(1 / 3)
    assert result["missed_by_type"] == {"Literal": 1}
    assert result["false_positives"] == {"on Non_Literal_Modifier": 1}
    assert result["far_by_kind"] == {"wrong record (homonym)": 1, "no point": 1}
    assert max(result["mean_km"], result["median_km"]) <= bench.MAX_KM


def test_auc_is_zero_for_perfect_and_one_for_no_points(bench: ModuleType) -> None:
    assert bench.error_auc([0.0, 0.0]) == 0.0
    assert bench.error_auc([bench.MAX_KM] * 3) == pytest.approx(1.0, abs=1e-4)
    assert 0 < bench.error_auc([0.0, 100.0, 5000.0]) < 1


def test_great_circle_km(bench: ModuleType) -> None:
    assert bench.great_circle_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    assert bench.great_circle_km(51.5, -0.13, 48.85, 2.35) == pytest.approx(343, abs=3)
    assert math.isclose(bench.great_circle_km(10, 10, 10, 10), 0.0)


def test_a_malformed_line_is_skipped(bench: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "text": "x", "gold": {"toponyms": []}}\nnot json\n{"id": "b"}\n', "utf-8")
    assert [r["id"] for r in bench.read_records(path)] == ["a"]
