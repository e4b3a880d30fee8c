"""The store's schema, its versioned migrations, and opening the DuckDB file politely.

The schema is documented for users of other DuckDB clients in ``docs/store.md``.
Each migration is a list of SQL statements (or Python functions of the connection, such
as the version 4 back-fill of the word index) applied in one transaction, after
which ``schema_version`` records the new version; opening a store with an older
version applies the missing migrations in order (opening a *newer* one than this
dotterel knows is refused with a message saying to upgrade).

DuckDB lets either one read-write process or many read-only processes hold a
file. dotterel's writer therefore holds the file only while it commits a batch
and releases it between batches; readers and the writer both retry while the
file is locked (:func:`connect`), so queries work while a long run is writing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from ..errors import StoreError, missing_dependency
from . import words

T = TypeVar("T")

#: The schema version this dotterel writes. Bump it by appending to MIGRATIONS.
SCHEMA_VERSION = 5
#: Where the store lives unless ``--db`` / ``path`` says otherwise.
DEFAULT_DB = "dotterel.duckdb"
#: Environment variable naming the default store.
DB_ENV = "DOTTEREL_DB"

_V1 = [
    """CREATE TABLE documents (
        doc_id VARCHAR PRIMARY KEY,
        text_hash VARCHAR NOT NULL,
        title VARCHAR,
        text VARCHAR NOT NULL,
        pub_date DATE,
        url VARCHAR,
        source VARCHAR,
        language VARCHAR,
        coder_name VARCHAR,
        coder_version VARCHAR,
        coder_model VARCHAR,
        errors VARCHAR,
        n_actors INTEGER,
        n_events INTEGER,
        n_quotes INTEGER,
        n_places INTEGER,
        run_id VARCHAR,
        stored_at TIMESTAMP
    )""",
    """CREATE TABLE actors (
        doc_id VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, name VARCHAR, kind VARCHAR,
        code VARCHAR, country VARCHAR, sector VARCHAR, role VARCHAR, mentions VARCHAR
    )""",
    """CREATE TABLE events (
        eid BIGINT NOT NULL, doc_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL,
        event_type VARCHAR NOT NULL, mode VARCHAR, context VARCHAR[], cameo VARCHAR,
        quad VARCHAR, quad_class TINYINT, score DOUBLE,
        source_codes VARCHAR[], target_codes VARCHAR[],
        source_sectors VARCHAR[], target_sectors VARCHAR[],
        trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
        sentence_index INTEGER, sentence_start INTEGER, sentence_end INTEGER,
        in_title BOOLEAN, date VARCHAR, date_precision VARCHAR, date_text VARCHAR,
        event_date DATE,
        location_name VARCHAR, location_country VARCHAR, location_geonames_id BIGINT,
        location_lat DOUBLE, location_lon DOUBLE, location_start INTEGER, location_end INTEGER,
        negated BOOLEAN, hypothetical BOOLEAN, reported_by VARCHAR, confidence DOUBLE
    )""",
    """CREATE TABLE event_actors (
        eid BIGINT NOT NULL, doc_id VARCHAR NOT NULL, role VARCHAR NOT NULL, position INTEGER,
        actor_id VARCHAR, text VARCHAR, code VARCHAR, sector VARCHAR,
        start_offset INTEGER, end_offset INTEGER
    )""",
    """CREATE TABLE quotes (
        doc_id VARCHAR NOT NULL, quote_id VARCHAR NOT NULL, direct BOOLEAN, in_title BOOLEAN,
        speaker_actor VARCHAR, speaker_text VARCHAR, speaker_start INTEGER, speaker_end INTEGER,
        cue_text VARCHAR, cue_start INTEGER, cue_end INTEGER,
        content_text VARCHAR, content_start INTEGER, content_end INTEGER
    )""",
    """CREATE TABLE places (
        doc_id VARCHAR NOT NULL, place_index INTEGER, name VARCHAR, country VARCHAR,
        admin1 VARCHAR, lat DOUBLE, lon DOUBLE, geonames_id BIGINT, feature VARCHAR,
        mentions VARCHAR
    )""",
    """CREATE TABLE dates (
        doc_id VARCHAR NOT NULL, date_index INTEGER, text VARCHAR, start_offset INTEGER,
        end_offset INTEGER, in_title BOOLEAN, date VARCHAR, precision VARCHAR
    )""",
    """CREATE TABLE runs (
        run_id VARCHAR PRIMARY KEY, command VARCHAR, coder_name VARCHAR, coder_version VARCHAR,
        coder_model VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
        documents INTEGER DEFAULT 0, unchanged INTEGER DEFAULT 0, replaced INTEGER DEFAULT 0,
        events INTEGER DEFAULT 0, quotes INTEGER DEFAULT 0, errors INTEGER DEFAULT 0,
        input_skipped INTEGER DEFAULT 0
    )""",
]

_V2 = [
    # near-duplicate stories (dedup.py) and per-event source counts
    "ALTER TABLE documents ADD COLUMN cluster_id VARCHAR",
    "UPDATE documents SET cluster_id = doc_id",
    "ALTER TABLE events ADD COLUMN cluster_id VARCHAR",
    "UPDATE events SET cluster_id = doc_id",
    "ALTER TABLE events ADD COLUMN event_key VARCHAR",
    "ALTER TABLE events ADD COLUMN num_articles INTEGER DEFAULT 1",
    "ALTER TABLE events ADD COLUMN num_sources INTEGER DEFAULT 1",
    """UPDATE events SET num_articles = 1, num_sources = 1,
        event_key = event_type || '|' || array_to_string(list_sort(source_codes), ';') || '|'
                    || array_to_string(list_sort(target_codes), ';') || '|' || coalesce(date, '')""",
    "CREATE TABLE doc_minhash (doc_id VARCHAR PRIMARY KEY, signature BLOB)",
    "CREATE TABLE doc_bands (doc_id VARCHAR NOT NULL, band TINYINT NOT NULL, key BIGINT NOT NULL)",
    # feeds already seen by `dotterel watch`
    """CREATE TABLE feed_items (
        feed_url VARCHAR NOT NULL, item_key VARCHAR NOT NULL, doc_id VARCHAR,
        first_seen TIMESTAMP, PRIMARY KEY (feed_url, item_key)
    )""",
]


def _key(column: str) -> str:
    """SQL for :func:`dotterel.store.rows.code_key` of a list column."""
    return f"CASE WHEN len({column}) > 0 THEN ';' || array_to_string({column}, ';') || ';' ELSE '' END"


_V3 = [
    # denormalised code strings for fast filters and dyad aggregates (rows.code_key):
    # `contains(source_key, ';USA;')` is several times cheaper than list_contains on the list
    *(f"ALTER TABLE events ADD COLUMN {side}_key VARCHAR DEFAULT ''"
      for side in ("source", "target", "source_sector", "target_sector")),
    f"""UPDATE events SET source_key = {_key('source_codes')}, target_key = {_key('target_codes')},
        source_sector_key = {_key('source_sectors')}, target_sector_key = {_key('target_sectors')}""",
    # the sentence's text, so that listing events needs no story text
    "ALTER TABLE events ADD COLUMN sentence VARCHAR",
    """UPDATE events SET sentence = substring(CASE WHEN events.in_title THEN d.title ELSE d.text END,
        events.sentence_start + 1, events.sentence_end - events.sentence_start)
        FROM documents d WHERE d.doc_id = events.doc_id""",
]

#: Documents read per round when the version 4 migration back-fills the word index.
BACKFILL_CHUNK = 2000


def backfill_words(con: Any) -> None:
    """Fill ``doc_words`` for every stored document (in the migration's transaction)."""
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise missing_dependency("pyarrow", "store") from exc
    ids = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
    for start in range(0, len(ids), BACKFILL_CHUNK):
        chunk = ids[start:start + BACKFILL_CHUNK]
        docs = con.execute("SELECT doc_id, title, text FROM documents WHERE doc_id IN (SELECT unnest(?)) "
                           "ORDER BY doc_id", [chunk]).fetchall()
        words.insert(con, pa, words.rows([d[0] for d in docs], [d[1] for d in docs], [d[2] for d in docs]))


_V4: list[str | Callable[[Any], None]] = [
    # the word index of the `text` filter (words.py): one row per distinct lower-cased word,
    # in partition tables by word hash, and the `doc_words` view over them
    *words.create_sql(),
    backfill_words,
]

_V5 = [
    # the knowledge version of the coder (``coder.knowledge``: a hash over its data files), so
    # `recode --outdated-only` notices a lexicon change; NULL for documents coded before
    "ALTER TABLE documents ADD COLUMN coder_knowledge VARCHAR",
    "ALTER TABLE runs ADD COLUMN coder_knowledge VARCHAR",
]

#: version → steps (SQL statements, or functions of the connection) that bring a store
#: from version-1 to version.
MIGRATIONS: dict[int, list[str | Callable[[Any], None]]] = {
    1: [*_V1], 2: [*_V2], 3: [*_V3], 4: _V4, 5: [*_V5],
}


def default_db_path(path: str | Path | None = None) -> Path:
    """``path`` if given, else ``$DOTTEREL_DB``, else ``dotterel.duckdb`` in the working directory."""
    if path is not None and str(path) != "":
        return Path(path)
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def duckdb_module() -> Any:
    """The duckdb module, or the error naming the extra to install."""
    try:
        import duckdb
    except ImportError as exc:
        raise missing_dependency("duckdb", "store") from exc
    return duckdb


#: The first bytes of a SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: DuckDB files carry this at byte 8.
DUCKDB_MAGIC = b"DUCK"
#: Words of DuckDB's (or the OS's) messages → store error code, first match wins.
_STORE_PROBLEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("not_duckdb", ("not a valid duckdb database",)),
    ("corrupt", ("corrupt", "checksum", "could not read enough bytes", "truncated",
                 "invalid block", "failed to deserialize", "serialization error")),
    ("disk_full", ("no space left", "file too large", "disk full", "disk quota", "quota exceeded")),
    ("read_only", ("read-only", "read only", "permission denied", "cannot open file",
                   "operation not permitted")),
    ("locked", ("could not set lock", "conflicting lock")),
)


def check_store_file(path: Path) -> None:
    """Refuse, before DuckDB opens it, a path that is no DuckDB file (SQLite, a directory, other bytes).

    DuckDB would try to download its SQLite extension for a SQLite file; an
    absent or empty file is left to the caller (a writer creates the store).
    """
    if path.is_dir():
        raise StoreError("not_duckdb", path, "it is a directory")
    try:
        with path.open("rb") as stream:
            head = stream.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError("read_only" if isinstance(exc, PermissionError) else "failed", path,
                         exc.strerror or str(exc)) from exc
    if not head:
        return
    if head.startswith(SQLITE_MAGIC):
        raise StoreError("sqlite", path)
    if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
        raise StoreError("not_duckdb", path)


def classify(exc: BaseException) -> str:
    """The :data:`~dotterel.errors.STORE_ERRORS` code for a DuckDB or OS error."""
    if isinstance(exc, OSError) and exc.errno is not None:
        import errno

        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return "disk_full"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "read_only"
    text = str(exc).lower()
    for code, signs in _STORE_PROBLEMS:
        if any(w in text for w in signs):
            return code
    return "failed"


def store_error(path: Path, exc: BaseException) -> StoreError:
    """``exc`` (raised by DuckDB or the OS on ``path``) as a catalogued :class:`StoreError`."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreError(classify(exc), path, detail[:300])


@contextmanager
def store_errors(path: Path) -> Iterator[None]:
    """Turn DuckDB's and the OS's errors inside the block into :class:`StoreError` for ``path``."""
    duckdb = duckdb_module()
    try:
        yield
    except StoreError:
        raise
    except (duckdb.Error, OSError) as exc:
        raise store_error(path, exc) from exc


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "different configuration" in text or "already attached" in text


def _lock_errors(duckdb: Any) -> tuple[type[Exception], ...]:
    """The exceptions DuckDB raises while another connection (or process) holds the file."""
    return tuple(getattr(duckdb, name) for name in (
        "IOException", "ConnectionException", "ResourceInUseException") if hasattr(duckdb, name))


#: A writer waiting for the file says so with this file next to the store (see :class:`Reader`).
WAIT_SUFFIX = ".write-wait"
#: A wait marker older than this is a leftover of a killed writer and is ignored.
WAIT_STALE = 120.0


def wait_marker(path: Path) -> Path:
    """The file a waiting writer creates next to the store ``path``."""
    return path.with_name(path.name + WAIT_SUFFIX)


def writer_waiting(path: Path) -> bool:
    """Whether a writer is waiting for the store (a fresh wait marker exists)."""
    try:
        return time.time() - wait_marker(path).stat().st_mtime < WAIT_STALE
    except OSError:
        return False


def connect(path: Path, *, read_only: bool, timeout: float = 30.0) -> Any:
    """Open the DuckDB file, retrying with backoff while another process holds it.

    A writer (``read_only=False``) that has to wait creates the wait marker
    (:func:`wait_marker`) until it gets the file, so that readers holding it
    between queries let go at once. Raises :class:`~dotterel.errors.StoreError` naming the file
    when it stays locked for ``timeout`` seconds, or when a read-only open
    finds no file.
    """
    duckdb = duckdb_module()
    if read_only and not path.exists():
        raise StoreError("missing", path)
    check_store_file(path)
    marker: list[Path] = []

    def announce_wait() -> None:
        if not read_only and not marker:
            marker.append(wait_marker(path))
            # in a read-only directory there is no marker: readers still let go within 5 s
            with suppress(OSError):
                marker[0].touch()

    try:
        with store_errors(path):
            return retry_while_locked(
                duckdb, path, timeout, lambda: duckdb.connect(str(path), read_only=read_only),
                announce_wait,
            )
    finally:
        if marker:
            with suppress(OSError):
                marker[0].unlink(missing_ok=True)


def retry_while_locked(
    duckdb: Any, path: Path, timeout: float, attempt: Callable[[], T],
    on_wait: Callable[[], None] | None = None,
) -> T:
    """``attempt()``, retried with backoff while DuckDB says another process holds ``path``.

    ``on_wait`` runs before each wait. Raises :class:`~dotterel.errors.StoreError` naming the file once it
    has stayed locked for ``timeout`` seconds; other errors are raised as they are.
    """
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            return attempt()
        except _lock_errors(duckdb) as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise StoreError("locked", path, f"waited {timeout:g} s; {exc}") from exc
            if on_wait is not None:
                on_wait()
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


class Reader:
    """Read-only access that holds the store file only briefly, so a writer can get it.

    Opening a DuckDB database costs tens of milliseconds; attaching a file to
    an already open in-memory database costs about two, but a freshly
    attached file also starts with an empty cache. So a reader keeps one
    in-memory connection, ATTACHes the store READ_ONLY for a query and keeps
    it attached (and its cache warm) for the next queries while they come
    within ``hold`` seconds of each other, for at most ``max_hold`` seconds in
    a row; then it DETACHes, which releases the file lock for the writer. It
    lets go after the current query as soon as a dotterel writer is waiting
    (:func:`writer_waiting`). ``hold=0`` detaches after every query. While a
    writer holds the file, the ATTACH is retried with backoff.
    """

    ALIAS = "dotterel_store"

    def __init__(self, path: Path, *, timeout: float = 30.0, hold: float = 1.0,
                 max_hold: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self.hold = hold
        self.max_hold = max_hold
        self._con: Any = None
        self._lock = threading.RLock()
        self._attached_at: float | None = None
        self._last_used = 0.0
        self._watcher: threading.Thread | None = None

    @contextmanager
    def session(self) -> Iterator[Any]:
        """A connection on which the store's tables are the default schema (read-only)."""
        duckdb = duckdb_module()
        if not self.path.exists():
            raise StoreError("missing", self.path)
        check_store_file(self.path)
        with self._lock, store_errors(self.path):
            if self._con is None:
                self._con = duckdb.connect()
            con = self._con
            if self._attached_at is not None and writer_waiting(self.path):
                self._detach()
            if self._attached_at is None:
                self._attach(duckdb, con)
            try:
                con.execute(f"USE {self.ALIAS}").fetchall()
                yield con
            finally:
                con.execute("USE memory").fetchall()
                now = time.monotonic()
                self._last_used = now
                assert self._attached_at is not None
                if (self.hold <= 0 or now - self._attached_at >= self.max_hold
                        or writer_waiting(self.path)):
                    self._detach()
                elif self._watcher is None:
                    # Not a daemon: a daemon thread killed inside DuckDB at interpreter
                    # exit aborts the process ("FATAL: exception not rethrown"). Exit
                    # waits at most ``hold`` seconds for it instead.
                    self._watcher = threading.Thread(target=self._watch, daemon=False,
                                                     name="dotterel-reader-release")
                    self._watcher.start()

    def _attach(self, duckdb: Any, con: Any) -> None:
        path = str(self.path).replace("'", "''")
        retry_while_locked(
            duckdb, self.path, self.timeout,
            lambda: con.execute(f"ATTACH '{path}' AS {self.ALIAS} (READ_ONLY)").fetchall(),
        )
        self._attached_at = time.monotonic()

    def _detach(self) -> None:
        if self._attached_at is not None and self._con is not None:
            self._con.execute(f"DETACH {self.ALIAS}").fetchall()
        self._attached_at = None

    def _watch(self) -> None:
        """Background: detach once idle for ``hold`` seconds or when a writer waits."""
        while True:
            time.sleep(0.05)
            with self._lock:
                if self._attached_at is not None and (
                        time.monotonic() - self._last_used >= self.hold
                        or time.monotonic() - self._attached_at >= self.max_hold
                        or writer_waiting(self.path)):
                    self._detach()
                if self._attached_at is None:
                    self._watcher = None
                    return

    def release(self) -> None:
        """Detach the store file now (the in-memory connection stays for the next query)."""
        with self._lock:
            self._detach()

    def close(self) -> None:
        """Detach the file and close the in-memory connection."""
        with self._lock:
            self._detach()
            if self._con is not None:
                self._con.close()
                self._con = None


def scalar(con: Any, sql: str, params: list[Any] | None = None) -> Any:
    """The first value of the first row of a query (``None`` when there is no row).

    Fetches the whole result: DuckDB refuses further work on a connection
    whose last result was not read to the end.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def schema_version(con: Any) -> int:
    """The version recorded in the store, 0 for an empty file."""
    tables = scalar(
        con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    )
    if not tables:
        return 0
    got = scalar(con, "SELECT max(version) FROM schema_version")
    return int(got) if got is not None else 0


def refuse_newer(version: int, path: object) -> None:
    """:class:`StoreError` ``newer`` when a store's schema ``version`` is newer than this dotterel's."""
    if version > SCHEMA_VERSION:
        raise StoreError("newer", path, f"schema version {version}; this dotterel knows up to "
                                        f"{SCHEMA_VERSION}")


def migrate(con: Any, *, target: int = SCHEMA_VERSION, path: object = "<store>") -> int:
    """Bring the store to ``target``, one transaction per migration; return the old version."""
    current = schema_version(con)
    refuse_newer(current, path)
    for version in range(current + 1, target + 1):
        con.begin()
        try:
            if version == 1:
                con.execute(
                    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
                )
            for step in MIGRATIONS[version]:
                if isinstance(step, str):
                    con.execute(step).fetchall()
                else:
                    step(con)
            con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [version]).fetchall()
            con.commit()
        except Exception:
            con.rollback()
            raise
    return current
