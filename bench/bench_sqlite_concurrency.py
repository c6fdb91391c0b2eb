#!/usr/bin/env python3
"""Benchmark: "database is locked" on SQLite under concurrent clients (issue 12, finding 9).

Prepares the demo (`linli demo --no-serve`: Jilin, two counties' residents, 3,000 events) in a scratch
directory, creates 300 API tokens for the admin, county and street accounts, starts `linli serve` (one
process) and drives it for --seconds (60) with 8 client threads, each request picked at random:

- 50 % token-authenticated API reads, each with a random token (so many tokens are used for the first
  time in the minute, which records their last use): /api/v1/me, an area's children, the events list;
- 10 % XLSX exports of a community's residents register (audited);
- 30 % further reads: event counts and an area's households;
- 10 % writes: mark the inbox read, create an API token.

Prints requests, answers by status, "database is locked" in the server's log, and p50/p99 per kind.
Target: 0 "database is locked". A benchmark, not a test: it asserts nothing.

    python bench/bench_sqlite_concurrency.py                # 60 s
    python bench/bench_sqlite_concurrency.py --quick        # 15 s
    python bench/bench_sqlite_concurrency.py --quick --src /work/main/src   # against another checkout
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
STREET, COMMUNITY = "220102001", "220102001001"  # within the reach of every account with a token
TOKENS_SCRIPT = """
import sys
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from linli.authn.models import User
from linli.accounts.service import create_token
from linli.authz.principal import system_principal
from linli.db.session import get_session_factory, unit_of_work
with unit_of_work(get_session_factory()) as s:
    for i in range(int(sys.argv[1])):
        user = s.scalar(select(User).where(User.username == ("admin", "county", "street")[i % 3]))
        print(create_token(s, system_principal("bench"), user, f"bench {i}", 1)[1])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def client(port: int, tokens: list[str], deadline: float, results: list, seed: int) -> None:
    rnd = random.Random(seed)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
        while time.monotonic() < deadline:
            token = rnd.choice(tokens)
            h = {"Authorization": f"Bearer {token}"}
            roll = rnd.random()
            if roll < 0.5:
                kind, method, url = "token read", "GET", rnd.choice(
                    ["/api/v1/me", f"/api/v1/areas/{STREET}/children", f"/api/v1/events?area={STREET}"]
                )  # fmt: skip
                body = None
            elif roll < 0.6:
                kind, method, url, body = "export", "GET", f"/api/v1/areas/{COMMUNITY}/residents.xlsx", None
            elif roll < 0.9:
                kind, method, body = "read", "GET", None
                url = rnd.choice([f"/api/v1/events/stats?area={STREET}", f"/api/v1/areas/{COMMUNITY}/households"])
            else:
                kind, method = "write", "POST"
                url, body = rnd.choice([("/api/v1/inbox/read-all", None), ("/api/v1/tokens", {"name": "bench"})])
            t0 = time.perf_counter()
            try:
                r = http.request(method, url, headers=h, json=body)
                status = r.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            results.append((kind, status, time.perf_counter() - t0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--quick", action="store_true", help="15 s")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--src", default=str(ROOT / "src"), help="the Linli sources to serve")
    args = parser.parse_args()
    seconds = 15 if args.quick else args.seconds
    with tempfile.TemporaryDirectory(prefix="linli-bench-sqlite-") as tmp:
        env = {**os.environ, "PYTHONPATH": args.src, "LINLI_DATA_DIR": tmp}
        env.pop("LINLI_DATABASE_URL", None)
        cli = [sys.executable, "-m", "linli.cli.main"]
        print("preparing the demo data …", flush=True)
        subprocess.run([*cli, "demo", "--no-serve"], env=env, cwd=tmp, check=True, capture_output=True)
        out = subprocess.run(
            [sys.executable, "-c", TOKENS_SCRIPT, str(args.tokens)], env=env, cwd=tmp, check=True, capture_output=True
        )
        tokens = out.stdout.decode().split()
        port = free_port()
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log:
            server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=tmp, stdout=log, stderr=log)
        try:
            for _ in range(600):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            results: list = []
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=client, args=(port, tokens, deadline, results, i)) for i in range(args.clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(30)
        log_text = log_path.read_text(errors="replace")
    locked = log_text.count("database is locked")
    by_status = Counter(str(s) for _, s, _ in results)
    print(f"serving {args.src}; {args.clients} clients for {seconds:.0f} s, {len(tokens)} tokens")
    print(f"requests: {len(results)} ({len(results) / seconds:.0f}/s); by status: {dict(sorted(by_status.items()))}")
    print(f'"database is locked" in the server log: {locked}  (target 0)')
    times = defaultdict(list)
    statuses = defaultdict(Counter)
    for kind, status, took in results:
        times[kind].append(took * 1000)
        statuses[kind][str(status)] += 1
    for kind in ("token read", "export", "read", "write"):
        ms = times[kind]
        if ms:
            p50, p99 = statistics.median(ms), percentile(ms, 99)
            print(f"  {kind:10} {len(ms):6} requests  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  {dict(statuses[kind])}")


if __name__ == "__main__":
    main()
