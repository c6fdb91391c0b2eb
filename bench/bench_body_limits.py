#!/usr/bin/env python3
"""Benchmark: the server's memory under huge request bodies (issue 12, finding 4).

Starts `linli serve` (one uvicorn process) on a scratch SQLite database, then sends, in phases of ten
concurrent requests each:

1. 400 MB JSON bodies without credentials to POST /api/v1/events and /api/v1/notices (declared length);
2. the same with a garbage bearer token;
3. the same with a garbage token, chunked (no length declared: the server must count);

Each client writes its body in 1 MB pieces while it listens for the answer, and stops at the answer
(or when the server closes the connection). Prints, per phase, the statuses, how much the clients got
to send, and the server's RSS before and after and its peak (VmHWM). Target: growth ≤ 50 MB.
A benchmark, not a test: it asserts nothing.

    python bench/bench_body_limits.py            # 400 MB bodies
    python bench/bench_body_limits.py --quick    # 40 MB bodies
    python bench/bench_body_limits.py --quick --src /work/main/src   # the same against another checkout
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIECE = b"x" * (1 << 20)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid: int) -> tuple[float, float]:
    """RSS and peak RSS (MB) of a process."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def send_huge(port: int, path: str, size: int, token: str | None, chunked: bool) -> tuple[str, int]:
    """One request with a `size`-byte body; the answer's status (or what went wrong) and bytes sent."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
    if token:
        head.append(f"Authorization: Bearer {token}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    answer = asyncio.ensure_future(reader.readline())
    sent = 0
    try:
        while sent < size and not answer.done():
            piece = PIECE[: min(len(PIECE), size - sent)]
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            await writer.drain()
            sent += len(piece)
        if chunked and not answer.done():
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    try:
        line = await asyncio.wait_for(answer, 120)
        status = line.split()[1].decode() if line else "closed"
    except (TimeoutError, ConnectionError, OSError, IndexError):
        status = "no answer"
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()
    return status, sent


async def phase(port: int, size: int, token: str | None, chunked: bool, n: int = 10) -> tuple[Counter, int]:
    paths = ["/api/v1/events", "/api/v1/notices"]
    results = await asyncio.gather(*(send_huge(port, paths[i % 2], size, token, chunked) for i in range(n)))
    return Counter(s for s, _ in results), sum(sent for _, sent in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 MB bodies instead of 400 MB")
    parser.add_argument("--mb", type=int, help="body size in MB")
    parser.add_argument("--src", default=str(ROOT / "src"), help="the Linli sources to serve")
    args = parser.parse_args()
    size = (args.mb or (40 if args.quick else 400)) << 20
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="linli-bench-body-") as tmp:
        env = {**os.environ, "PYTHONPATH": args.src, "LINLI_DATA_DIR": tmp}
        env.pop("LINLI_DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "linli.cli.main", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(600):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            # One small request of each kind first, so what is loaded on first use is in the baseline.
            asyncio.run(phase(port, 1024, None, False, n=2))
            asyncio.run(phase(port, 1024, "lnl_garbage", False, n=2))
            start_rss, start_peak = memory(server.pid)
            print(f"serving {args.src} at :{port}; bodies of {size >> 20} MB, ten at a time")
            print(f"server RSS at start: {start_rss:.0f} MB (peak so far {start_peak:.0f} MB)")
            for name, token, chunked in (
                ("no credentials, Content-Length", None, False),
                ("garbage token, Content-Length", "lnl_garbage-token", False),
                ("garbage token, chunked", "lnl_garbage-token", True),
            ):
                before, _ = memory(server.pid)
                t0 = time.perf_counter()
                statuses, sent = asyncio.run(phase(port, size, token, chunked))
                took = time.perf_counter() - t0
                after, peak = memory(server.pid)
                print(
                    f"{name:32} statuses {dict(statuses)}  clients sent {sent / (1 << 20):8.1f} MB in {took:5.1f} s"
                    f"  RSS {before:.0f} → {after:.0f} MB (growth {after - before:+.0f}), peak {peak:.0f} MB"
                )
            end_rss, peak = memory(server.pid)
            print(f"server RSS at end: {end_rss:.0f} MB: growth {end_rss - start_rss:+.0f} MB (target ≤ 50 MB);"
                  f" peak {peak:.0f} MB ({peak - start_peak:+.0f} MB over the peak at start)")  # fmt: skip
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
