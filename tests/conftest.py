"""Shared fixtures: one Coder per test session (the spaCy model loads once)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

from dotterel import CodedDocument, Coder

# CI runs a fixed set of examples (reproducible); local runs explore new ones each time.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tokayev-interview.txt"
EXAMPLE_PUB_DATE = "2025-01-03"
#: Development data lives beside the checkout (../shared/data), as on the dev and CI machines.
SHARED_DATA = ROOT.parent / "shared" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", default=False,
                     help="rewrite tests/snapshots/ from the current output (then review the diff)")


def load_script(name: str, folder: str = "scripts") -> ModuleType:
    """A script of ``scripts/`` (or ``benchmarks/``) imported as a module, to test its functions."""
    spec = importlib.util.spec_from_file_location(name, ROOT / folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder()


@pytest.fixture(scope="session")
def example_record(coder: Coder) -> CodedDocument:
    from dotterel.read import read_txt_bytes

    document = read_txt_bytes(EXAMPLE.read_bytes()).document
    return coder.code(document.text, title=document.title, pub_date=EXAMPLE_PUB_DATE)


@pytest.fixture(scope="session")
def voa_path() -> Path:
    path = SHARED_DATA / "voa" / "voa_stories.jsonl"
    if not path.exists():
        pytest.skip(f"VOA development stories not found at {path} (shared/ is not beside this checkout)")
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that reads the VOA development stories is ``slow`` (``make quick`` leaves them out)."""
    for item in items:
        if "voa_path" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
