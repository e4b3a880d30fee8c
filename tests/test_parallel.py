"""The local process pool, partitions, the Parquet dataset and per-document failures."""

from __future__ import annotations

import gzip
import json
import os
import signal
from pathlib import Path

import pytest

from dotterel import Coder
from dotterel.model import Document
from dotterel.parallel.dask_engine import TaskSpec, code_partition, load_records
from dotterel.parallel.dataset import DatasetWriter, event_eid
from dotterel.parallel.local import ParallelCoder
from dotterel.parallel.partition import plan, read_partition
from dotterel.parallel.pool import LocalPool
from dotterel.parallel.progress import Tracker, count_documents, show
from dotterel.parallel.sinks import check_empty_dataset
from dotterel.parallel.worker import CoderConfig, code_batch
from dotterel.read import ReadDocument, Skipped, read_inputs
from dotterel.render import to_json_line

from .parallel_corpus import story, write_corpus


def _ids(items: list[object]) -> list[str]:
    return [i.document.doc_id if isinstance(i, ReadDocument) else str(i) for i in items]


@pytest.mark.parametrize("gz", [False, True])
def test_partitions_cover_the_file_in_order(tmp_path: Path, gz: bool) -> None:
    path = write_corpus(tmp_path / ("c.jsonl.gz" if gz else "c.jsonl"), 23, gz=gz)
    if not gz:  # a bad line and a blank line keep their line numbers
        lines = path.read_text().splitlines()
        lines[4:4] = ["{not json", ""]
        path.write_text("\n".join(lines) + "\n")
    for size in (1, 5, 12, 25):
        parts = plan([path], size=size)
        assert sum(p.documents for p in parts) == (24 if not gz else 23)  # non-blank lines
        got = [item for p in parts for item in read_partition(p)]
        assert _ids(got) == _ids(list(read_inputs([path])))
    assert any(isinstance(i, Skipped) and i.line == 5 for p in plan([path], size=3)
               for i in read_partition(p)) is (not gz)


def test_partitions_group_loose_files_and_refuse_stdin(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(f"Title {i}\nKenya signed a deal with Peru ({i}).\n")
    parts = plan([folder], size=2)
    assert [len(p.files) for p in parts] == [2, 2, 1]
    got = [item for p in parts for item in read_partition(p)]
    assert _ids(got) == _ids(list(read_inputs([folder])))
    from dotterel.errors import UsageError

    with pytest.raises(UsageError, match="local engine"):
        plan(["-"])


def test_truncated_gzip_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write_corpus(tmp_path / "c.jsonl.gz", 40, gz=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])  # cut inside the stream
    items = [item for p in plan([path], size=10) for item in read_partition(p)]
    docs = [i for i in items if isinstance(i, ReadDocument)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert 0 < len(docs) < 40
    assert [d.document.doc_id for d in docs] == [f"s{i:05d}" for i in range(len(docs))]
    assert len(skipped) == 1 and "could not read the rest" in skipped[0].message


def test_corrupt_second_gzip_member(tmp_path: Path) -> None:
    path = tmp_path / "two.jsonl.gz"
    good = gzip.compress("".join(json.dumps(story(i)) + "\n" for i in range(6)).encode())
    bad = bytearray(gzip.compress("".join(json.dumps(story(i)) + "\n" for i in range(6, 12)).encode()))
    bad[20:40] = b"\xff" * 20  # damage the second member's deflate data
    path.write_bytes(good + bytes(bad))
    items = [item for p in plan([path], size=4) for item in read_partition(p)]
    assert [i.document.doc_id for i in items if isinstance(i, ReadDocument)][:6] == [
        f"s{i:05d}" for i in range(6)]
    assert any(isinstance(i, Skipped) for i in items)


def _explode_on(marker: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import dotterel.events as events

    real = events.extract_events

    def extract(story, *args, **kwargs):  # type: ignore[no-untyped-def]
        if marker in story.document.text:
            raise RuntimeError("extractor failed on purpose")
        return real(story, *args, **kwargs)

    monkeypatch.setattr(events, "extract_events", extract)


def test_a_failing_extractor_gives_one_error_record(coder: Coder, monkeypatch: pytest.MonkeyPatch) -> None:
    _explode_on("EXPLODE", monkeypatch)
    docs = [ReadDocument(Document(**story(i))) for i in range(5)]
    docs[2] = ReadDocument(Document(text="France accused Peru of lying. EXPLODE", id="bad"))
    out = code_batch(coder, docs)
    assert [c.record.id for c in out] == ["s00000", "s00001", "bad", "s00003", "s00004"]
    assert [e.code for e in out[2].record.errors] == ["internal"]
    assert "extractor failed on purpose" in out[2].record.errors[0].message
    assert all(not c.record.errors for i, c in enumerate(out) if i != 2)
    assert any(c.record.events for c in out if c.record.id != "bad")


def test_a_partition_goes_on_after_a_failing_document(tmp_path: Path, coder: Coder,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _explode_on("EXPLODE", monkeypatch)
    path = tmp_path / "c.jsonl"
    rows = [story(i) for i in range(6)]
    rows[3]["text"] += " EXPLODE"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = CoderConfig.of(coder)
    from dotterel.parallel import worker

    monkeypatch.setitem(worker._CACHE.idle, config, [coder])  # this process's idle coder
    part = plan([path], size=10)[0]
    entry = code_partition(part, TaskSpec(coder=config, job_dir=str(tmp_path / "job")))
    assert entry["documents"] == 6 and entry["errors"] == entry["internal"] == 1
    records = load_records(tmp_path / "job", part.key)
    assert [r.id for r in records] == [r["id"] for r in rows]
    assert [e.code for e in records[3].errors] == ["internal"]
    assert (tmp_path / "job" / "done" / f"{part.key}.json").exists()


def test_pool_keeps_input_order_and_matches_one_process(coder: Coder) -> None:
    docs = [Document(**story(i)) for i in range(48)]
    with ParallelCoder(workers=2, batch_size=4) as pc:
        got = [to_json_line(r) for r in pc.code_many(docs)]
        assert pc.pool is not None and len(pc.pool.pids()) == 2
    assert got == [to_json_line(r) for r in coder.code_many(docs)]
    assert pc.tracker.documents == 48 and len(pc.tracker.slowest()) == 5


def test_small_inputs_stay_in_this_process() -> None:
    with ParallelCoder(workers=2) as pc:
        assert len(list(pc.code_many([Document(**story(i)) for i in range(3)]))) == 3
        assert pc.pool is None


def test_a_killed_worker_is_replaced_and_every_document_coded_once(coder: Coder) -> None:
    docs = [ReadDocument(Document(**story(i))) for i in range(60)]
    out = []
    with LocalPool(CoderConfig.of(coder), 2, batch_size=3) as pool:
        for n, coded in enumerate(pool.code(docs)):
            if n == 1:
                os.kill(pool.pids()[0], signal.SIGKILL)
            out.append(coded.record.id)
        assert pool.restarts == 1
    assert out == [d.document.doc_id for d in docs]


def test_a_worker_is_replaced_after_its_share_of_documents(coder: Coder) -> None:
    docs = [ReadDocument(Document(**story(i))) for i in range(20)]
    seen: set[int] = set()
    with LocalPool(CoderConfig.of(coder), 1, batch_size=3, recycle_after=6) as pool:
        out = []
        for coded in pool.code(docs):
            seen.update(pool.pids())
            out.append(coded.record)
        assert pool.recycled >= 2 and pool.restarts == 0
    assert len(seen) >= 3  # the first worker and at least two fresh ones
    assert [r.id for r in out] == [d.document.doc_id for d in docs]
    assert [to_json_line(r) for r in out] == [to_json_line(r) for r in coder.code_many([d.document for d in docs])]


def test_dataset_rows_are_partitioned_by_month(tmp_path: Path, coder: Coder) -> None:
    duckdb = pytest.importorskip("duckdb")
    records = list(coder.code_many([Document(**story(i)) for i in range(8)]
                                   + [Document(text="Japan praised Chile.", id="nodate")]))
    DatasetWriter(tmp_path / "out").write(records, "x")
    months = sorted(p.name for p in (tmp_path / "out" / "documents").iterdir())
    assert months == ["pub_month=2025-01", "pub_month=2025-02", "pub_month=2025-03",
                      "pub_month=2025-04", "pub_month=unknown"]
    con = duckdb.connect()
    glob = str(tmp_path / "out" / "{}" / "*" / "*.parquet")
    docs = con.execute(f"SELECT doc_id, pub_month FROM read_parquet('{glob.format('documents')}', "
                       "hive_partitioning=true) ORDER BY doc_id").fetchall()
    assert ("s00005", "2025-02") in docs and ("nodate", "unknown") in docs
    events = con.execute(f"SELECT doc_id, event_id, eid FROM read_parquet('{glob.format('events')}')").fetchall()
    assert len(events) == sum(len(r.events) for r in records) > 0
    assert all(eid == event_eid(d, e) for d, e, eid in events)
    links = con.execute(f"SELECT DISTINCT eid FROM read_parquet('{glob.format('event_actors')}')").fetchall()
    assert {e for (e,) in links} <= {eid for *_, eid in events}
    from dotterel.errors import UsageError

    with pytest.raises(UsageError, match="already holds"):
        check_empty_dataset(tmp_path / "out")


def test_progress_is_quiet_off_a_terminal_and_counts(tmp_path: Path, coder: Coder) -> None:
    records = list(coder.code_many([Document(**story(i)) for i in range(3)]))
    assert list(show(iter(records))) == records  # pytest's stderr is not a terminal
    tracker = Tracker()
    for seconds, record in zip((0.5, 2.0, 1.0), records, strict=True):
        tracker.add(record, seconds)
    assert [d for d, _ in tracker.slowest()] == ["s00001", "s00002", "s00000"]
    assert count_documents([str(write_corpus(tmp_path / "c.jsonl.gz", 7, gz=True))]) == 7
    assert count_documents(["-"]) is None


def test_cli_workers_and_output_dir_give_the_same_records(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dotterel.cli import app

    corpus = write_corpus(tmp_path / "c.jsonl", 40)
    runner = CliRunner()
    one = runner.invoke(app, ["code", str(corpus), "--workers", "1", "-o", str(tmp_path / "one.jsonl")])
    two = runner.invoke(app, ["code", str(corpus), "--workers", "2", "-o", str(tmp_path / "two.jsonl"),
                              "--output-dir", str(tmp_path / "ds")])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    assert (tmp_path / "one.jsonl").read_text() == (tmp_path / "two.jsonl").read_text()
    assert "40 documents" in two.stderr and "slowest documents" in two.stderr
    assert sorted(p.name for p in (tmp_path / "ds" / "documents").iterdir()) == [
        "pub_month=2025-01", "pub_month=2025-02", "pub_month=2025-03", "pub_month=2025-04"]
    again = runner.invoke(app, ["code", str(corpus), "--output-dir", str(tmp_path / "ds")])
    assert again.exit_code == 2 and "already holds a Parquet dataset" in again.stderr


def test_gzip_is_staged_per_partition_with_original_names(tmp_path: Path) -> None:
    path = write_corpus(tmp_path / "c.jsonl.gz", 30, gz=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4])  # truncated: the last partition reports it
    parts = plan([path], size=8, stage_dir=tmp_path / "stage")
    assert all(Path(p.path).parent == tmp_path / "stage" and p.source == str(path) for p in parts)
    staged = [item for p in parts for item in read_partition(p)]
    assert _ids(staged) == _ids(list(read_inputs([path])))
    assert isinstance(staged[-1], Skipped) and staged[-1].path == str(path)


def test_missing_pandas_names_the_store_extra(tmp_path: Path, coder: Coder,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import dotterel
    from dotterel.errors import DependencyError
    from dotterel.store import code_into_store

    db = tmp_path / "s.duckdb"
    list(code_into_store(read_inputs([write_corpus(tmp_path / "c.jsonl", 2)]), db=db, coder=coder))
    store = dotterel.open(db, hold=0)
    assert len(store.sql("SELECT * FROM documents")) == 2  # the store is written without pandas' help
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(DependencyError, match=r"dotterel\[store\]"):
        store.events()


def test_the_pipeline_runs_on_its_own_ops_in_any_thread(coder: Coder) -> None:
    """thinc keeps its current ops in a context variable: a thread (a Dask task, a web
    request) that did not load the pipeline saw thinc's default blis ops, 1.1-1.2x slower."""
    import threading

    from thinc.api import NumpyOps, get_current_ops

    from dotterel.nlp import pipeline_ops

    nlp = coder.nlp
    seen: dict[str, object] = {}

    def elsewhere() -> None:
        seen["outside"] = get_current_ops()
        with pipeline_ops(nlp):
            seen["inside"] = get_current_ops()
        seen["after"] = get_current_ops()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    inside = seen["inside"]
    assert isinstance(inside, NumpyOps) and inside.use_blis is False
    assert seen["outside"] is seen["after"] and seen["outside"] is not inside  # thinc's own, untouched


def test_a_process_keeps_one_coder_per_concurrent_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Dask worker warmed up through client.run (event-loop thread) and running tasks in an
    executor thread builds one coder, not one per thread; two blocks at once get two."""
    import threading

    from dotterel.parallel import worker

    monkeypatch.setattr(worker, "_CACHE", worker._Cache())
    built: list[object] = []

    def build(config: CoderConfig) -> object:
        built.append(object())
        worker._CACHE.built += 1
        return built[-1]

    monkeypatch.setattr(worker, "_build", build)
    config = CoderConfig(model="m")
    assert worker.warm_up(config) == 1
    got: list[object] = []

    def task() -> None:
        with worker.worker_coder(config) as c:
            got.append(c)

    thread = threading.Thread(target=task)
    thread.start()
    thread.join()
    assert got == built  # the warm coder, from another thread
    with worker.worker_coder(config) as first, worker.worker_coder(config) as second:
        assert first is not second
    assert len(built) == 2 and worker.warm_up(config) == 2
    with worker.worker_coder(CoderConfig(model="other")) as other:  # coders are per config
        assert other not in (first, second) and len(built) == 3


def test_a_pinned_malloc_trim_frees_the_mmap_threshold() -> None:
    """Dask's MALLOC_TRIM_THRESHOLD_ also pins glibc's mmap threshold at 128 KiB (10 % slower)."""
    from dotterel.parallel.worker import MMAP_THRESHOLD, free_mmap_threshold

    class Libc:
        def __init__(self) -> None:
            self.calls: list[tuple[int, int]] = []

        def mallopt(self, param: int, value: int) -> int:
            self.calls.append((param, value))
            return 1

    libc = Libc()
    assert free_mmap_threshold({"MALLOC_TRIM_THRESHOLD_": "65536"}, libc) is True
    assert libc.calls == [(-3, MMAP_THRESHOLD)]
    assert free_mmap_threshold({}, libc) is False  # nothing pinned: glibc adapts by itself
    assert free_mmap_threshold({"MALLOC_TRIM_THRESHOLD_": "65536", "MALLOC_MMAP_THRESHOLD_": "1"}, libc) is False
    assert len(libc.calls) == 1
    import platform

    if platform.libc_ver()[0] == "glibc":  # and the real call is accepted here
        assert free_mmap_threshold({"MALLOC_TRIM_THRESHOLD_": "65536"}) is True
