"""Store durability with real processes and files: migrations, SIGKILL mid-run, reading while writing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dotterel
from dotterel import UsageError
from dotterel.store import SCHEMA_VERSION, connect, migrate, schema_version

pytest.importorskip("duckdb", reason="the store needs the 'store' extra")

ROOT = Path(__file__).resolve().parents[1]

#: A writer process: codes JSONL into the store slowly, printing each stored id.
WRITER = """
import sys
sys.path.insert(0, {root!r})
from dotterel.read import read_inputs
from dotterel.store import code_into_store
from tests.store_fixtures import ScriptedCoder
coder = ScriptedCoder()
coder.delay = {delay}
for record in code_into_store(read_inputs([{src!r}]), db={db!r}, coder=coder, batch_size={batch}):
    print(record.id, flush=True)
"""


def write_stories(path: Path, n: int) -> list[str]:
    ids = [f"s{i:04d}" for i in range(n)]
    with path.open("w", encoding="utf-8") as f:
        for i, ident in enumerate(ids):
            text = f"Report {i}. Russia attacked Ukraine. China visited Kenya. Note {i * 7919 % 1000}."
            f.write(json.dumps({"id": ident, "text": text, "pub_date": f"2025-01-{1 + i % 28:02d}"}) + "\n")
    return ids


def start_writer(src: Path, db: Path, *, delay: float, batch: int) -> subprocess.Popen[str]:
    code = WRITER.format(root=str(ROOT), src=str(src), db=str(db), delay=delay, batch=batch)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_an_older_store_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = connect(db, read_only=False)
    migrate(con, target=1)
    con.execute("INSERT INTO documents (doc_id, text_hash, text) VALUES ('old', 'h', 'Old story.')").fetchall()
    con.execute(
        "INSERT INTO events (eid, doc_id, event_id, event_type, source_codes, target_codes, date, "
        "negated, hypothetical) VALUES (1, 'old', 'old-E1', 'ACCUSE', ['USA'], ['IRN'], '2020-05', false, false)"
    ).fetchall()
    assert schema_version(con) == 1
    con.close()
    store = dotterel.open(db)
    con = connect(db, read_only=True)
    try:
        assert schema_version(con) == SCHEMA_VERSION
        row = con.execute("SELECT cluster_id FROM documents").fetchall()
        assert row == [("old",)]
        ev = con.execute("SELECT event_key, num_articles, num_sources FROM events").fetchall()
        assert ev == [("ACCUSE|USA|IRN|2020-05", 1, 1)]
        # version 5: the knowledge version, unknown (NULL) for what was coded before
        assert con.execute("SELECT coder_knowledge FROM documents").fetchall() == [(None,)]
        assert con.execute("SELECT count(coder_knowledge) FROM runs").fetchall() == [(0,)]
    finally:
        con.close()
    assert list(store.events().event_type) == ["ACCUSE"]


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    con = connect(db, read_only=False)
    migrate(con)
    con.execute("INSERT INTO schema_version VALUES (99, current_timestamp)").fetchall()
    con.close()
    with pytest.raises(UsageError, match="upgrade dotterel"):
        from dotterel.store import StoreWriter

        StoreWriter(db)


def test_sigkill_mid_run_then_rerun_stores_every_document_once(tmp_path: Path) -> None:
    src, db = tmp_path / "in.jsonl", tmp_path / "s.duckdb"
    ids = write_stories(src, 60)
    # kill the writer three times at different points of its run, then let it finish
    for wait_lines in (3, 17, 31):
        proc = start_writer(src, db, delay=0.01, batch=4)
        assert proc.stdout is not None
        seen = 0
        while seen < wait_lines:
            line = proc.stdout.readline()
            if not line:
                break
            seen += 1
        time.sleep(0.01 * (wait_lines % 5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        assert proc.returncode == -signal.SIGKILL
    proc = start_writer(src, db, delay=0.0, batch=4)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    store = dotterel.open(db)
    docs = store.sql("SELECT doc_id, n_events FROM documents ORDER BY doc_id")
    assert list(docs.doc_id) == ids
    per_doc = store.sql("SELECT doc_id, count(*) AS n FROM events GROUP BY doc_id")
    assert dict(zip(per_doc.doc_id, per_doc.n, strict=True)) == dict.fromkeys(ids, 2)
    assert set(docs.n_events) == {2}
    assert store.sql("SELECT count(DISTINCT eid) AS n FROM events").n[0] == 120
    assert store.sql("SELECT count(*) AS n FROM event_actors").n[0] == 240
    runs = store.runs()
    assert list(runs.status) == ["running", "running", "running", "done"]
    assert runs.documents.sum() == 60  # the killed runs' counts were committed with their documents


def test_readers_work_while_a_run_writes(tmp_path: Path) -> None:
    src, db = tmp_path / "in.jsonl", tmp_path / "s.duckdb"
    write_stories(src, 40)
    proc = start_writer(src, db, delay=0.02, batch=4)
    assert proc.stdout is not None
    proc.stdout.readline()  # the first batch is committed
    seen: list[int] = []
    while proc.poll() is None:
        seen.append(dotterel.open(db, timeout=30).counts()["documents"])
        time.sleep(0.02)
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert len(seen) >= 3, "the reader should have read several times during the run"
    assert seen == sorted(seen), "readers never see documents disappear"
    assert 0 < seen[0] < 40
    assert all(n % 4 == 0 for n in seen), "readers see whole batches only"
    assert dotterel.open(db).counts()["documents"] == 40
