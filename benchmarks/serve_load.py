"""Load on ``dotterel serve``: concurrent clients against /api/v1/events on a million-event store.

    .venv/bin/python benchmarks/serve_load.py [--events 1000000] [--connections 50] [--duration 30]
        [--cache-size 256] [--base BASE] [--write]

Builds the big store as ``benchmarks/store_query.py`` does (the VOA development
stories coded once, or ``--base``, replicated to ``--events`` events), starts
``dotterel serve`` on 127.0.0.1 in a child process, and runs ``--connections``
concurrent keep-alive connections (a minimal HTTP/1.1 client on asyncio streams, in this process) for
``--duration`` seconds. Each client loops over a fixed mix of event queries
(``URLS``: the filters of the store benchmark, 50–100 events per page) and
follows the ``next_cursor`` of every third answer once, so pages beyond the
first are asked for too. Reported: requests, throughput, latency p50/p95/p99/max,
errors (any answer other than 200, and any failed connection). Targets: zero
errors, p95 < 200 ms.

``--cache-size`` is the server's answer cache (the shipped default 256; 0 turns
it off, so every request queries the store). Server and clients share the
machine's cores, as they would on one small host.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from store_common import code_stories_into, replace_section
from store_query import DEFAULT_STORIES, build

URLS = [
    "/api/v1/events?limit=50",
    "/api/v1/events?actor=USA&limit=100",
    "/api/v1/events?source=RUS&target=UKR&limit=100",
    "/api/v1/events?type=ASSAULT&since=2024-01-01&until=2024-03-31&limit=100",
    "/api/v1/events?quad=4&sector=MIL&limit=100",
    "/api/v1/events?text=ceasefire&limit=100",
    "/api/v1/events?quad=VC&since=2023-06-01&limit=50",
    "/api/v1/events?target=IRN&limit=50",
]
START, END = "<!-- serve-load:start -->", "<!-- serve-load:end -->"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, cache_size: int) -> subprocess.Popen[bytes]:
    code = "import sys; from dotterel.cli import main; sys.argv[0] = 'dotterel'; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--db", str(db), "--port", str(port),
                             "--cache-size", str(cache_size)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not answer within 120 s")


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url: str) -> tuple[int, bytes]:
    """One HTTP/1.1 keep-alive GET on an open connection: (status, body)."""
    writer.write(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(v) for k, _, v in (line.partition(":") for line in lines[1:])
                  if k.strip().lower() == "content-length")
    return status, await reader.readexactly(length)


async def load(port: int, connections: int, duration: float) -> dict[str, Any]:
    """``connections`` keep-alive connections, each sending its next request as soon as the last is answered.

    A minimal HTTP/1.1 client on asyncio streams, so that the client costs
    the shared CPUs as little as possible.
    """
    latencies: list[float] = []
    errors: dict[str, int] = {}
    cursor_re = re.compile(rb'"next_cursor":"([^"]+)"')
    # one warm-up pass (the first query of each kind attaches the file and fills the OS cache)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for url in URLS:
        await get(reader, writer, url)
    writer.close()
    stop = time.monotonic() + duration

    async def worker(n: int) -> None:
        rnd = random.Random(n)
        i = rnd.randrange(len(URLS))
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < stop:
            url = URLS[i % len(URLS)]
            i += 1
            for _ in range(2 if i % 3 == 0 else 1):
                t0 = time.perf_counter()
                try:
                    status, body = await get(reader, writer, url)
                except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration) as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    latencies.append((time.perf_counter() - t0) * 1000)
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    break
                latencies.append((time.perf_counter() - t0) * 1000)
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                    break
                found = cursor_re.search(body[-400:])
                if not found:
                    break
                url = url + "&cursor=" + found.group(1).decode()
        writer.close()

    t0 = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    elapsed = time.monotonic() - t0
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[max(math.ceil(p * len(latencies)) - 1, 0)]

    return {"requests": len(latencies), "seconds": elapsed, "rps": len(latencies) / elapsed,
            "p50": statistics.median(latencies), "p95": pct(0.95), "p99": pct(0.99),
            "max": latencies[-1], "errors": sum(errors.values()), "error_kinds": errors}


def write_doc(body: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md (added at the end the first time)."""
    replace_section(START, END, f"{START}\n{body.strip()}\n{END}", heading="## Serve (HTTP API under load)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--base", type=Path, help="an existing coded store to replicate (skips coding)")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--cache-size", type=int, nargs="+", default=[256],
                        help="server cache sizes to run with, one run each (0: no cache)")
    parser.add_argument("--keep", type=Path, help="keep the big store at this path (reused if it exists)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        big = args.keep or Path(tmp) / "big.duckdb"
        if not big.exists():
            base = args.base
            if base is None:
                base = Path(tmp) / "base.duckdb"
                code_stories_into(args.stories, base)
            build(base, big, args.events, "chronological", False)
        import duckdb

        con = duckdb.connect(str(big), read_only=True)
        n_events, n_docs = con.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM documents)").fetchall()[0]
        con.close()
        print(f"store: {n_events} events, {n_docs} documents", file=sys.stderr)
        rows = []
        for cache_size in args.cache_size:
            port = free_port()
            server = start_server(big, port, cache_size)
            try:
                load_start = os.getloadavg()[0]
                r = asyncio.run(load(port, args.connections, args.duration))
                load_end = os.getloadavg()[0]
            finally:
                server.terminate()
                server.wait(timeout=30)
            row = (f"| {cache_size} | {args.connections} | {r['seconds']:.0f} | {r['requests']} | "
                   f"{r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.0f} | "
                   f"{r['errors']}{' ' + str(r['error_kinds']) if r['errors'] else ''} | "
                   f"{load_start:.1f} → {load_end:.1f} |")
            rows.append(row)
            print(row, file=sys.stderr)
    body = "\n".join([
        f"`{' '.join(['.venv/bin/python', 'benchmarks/serve_load.py', *sys.argv[1:]])}` — "
        f"`dotterel serve` on 127.0.0.1 over {n_events:,} events in {n_docs:,} documents (built as by "
        "`store_query.py`, chronological order); the clients (a minimal HTTP/1.1 keep-alive client on asyncio streams, one process) ran on the "
        f"same {os.cpu_count()}-CPU machine, shared with other jobs. Each client loops over "
        f"{len(URLS)} event queries (filters of the store benchmark, 50–100 events a page) and "
        "follows one `next_cursor` every third request. Cache: the server's answer cache size "
        "(0 = every request queries the store).",
        "",
        "| cache | connections | s | requests | req/s | p50 (ms) | p95 (ms) (target < 200) | p99 (ms) | "
        "max (ms) | errors (target 0) | load avg (1 min) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ])
    print(body)
    if args.write:
        write_doc(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
