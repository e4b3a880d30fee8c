"""schemathesis against /openapi.json: generated requests to every endpoint find no server error.

Both valid (positive) and invalid (negative) requests, a few per operation
(``MAX_EXAMPLES``), so the run stays short. Each answer must be below 500,
and every error must have the API's one error shape.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi", reason="dotterel serve needs the 'serve' extra")
schemathesis = pytest.importorskip("schemathesis", reason="the schema test needs schemathesis (dev extra)")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from .serve_fixtures import build_store, make_app  # noqa: E402

MAX_EXAMPLES = 30
OPERATIONS = ["POST /api/v1/code", "GET /api/v1/events", "GET /api/v1/events/{eid}",
              "GET /api/v1/documents/{doc_id}", "GET /api/v1/actors", "GET /api/v1/aggregates",
              "GET /api/v1/health"]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = build_store(tmp_path_factory.mktemp("schema") / "s.duckdb", n=20)
    return schemathesis.openapi.from_asgi("/openapi.json", make_app(db, cache_size=0))


def operation(schema: Any, label: str) -> Any:
    for result in schema.get_all_operations():
        op = result.ok()
        if op.label == label:
            return op
    raise AssertionError(f"{label} is not in the schema")


def test_schema_has_every_operation(api_schema: Any) -> None:
    assert sorted(r.ok().label for r in api_schema.get_all_operations()) == sorted(OPERATIONS)


#: Operations any request to which is valid (no parameter, or one free string): nothing negative exists.
ALWAYS_VALID = {"GET /api/v1/health", "GET /api/v1/documents/{doc_id}"}
CASES = [(label, mode) for label in OPERATIONS for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if not (mode is GenerationMode.NEGATIVE and label in ALWAYS_VALID)]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_no_server_error(api_schema: Any, label: str, mode: GenerationMode) -> None:
    op = operation(api_schema, label)
    statuses: list[int] = []

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call()
        statuses.append(response.status_code)
        assert response.status_code < 500, (case.path, case.query, case.body, response.text)
        if response.status_code >= 400:
            body = response.json()
            assert body["ok"] is False and body["status"] == response.status_code and body["error"]

    check()
    assert statuses
    if mode is GenerationMode.POSITIVE and label != "GET /api/v1/events/{eid}" and "doc_id" not in label:
        assert 200 in statuses  # valid requests are mostly answered
