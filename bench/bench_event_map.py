#!/usr/bin/env python3
"""Benchmark: the open-events map of a city with 100,000 open events, in headless Chromium.

Fills a scratch PostgreSQL database (bench/_events_common.py) with Jilin's divisions, the boundaries and
generated grids of two counties of Changchun (南关区 220102, 农安县 220122), and N open events (default
100,000) at random points inside those grids, in the open states, about a quarter overdue. Serves the
application on a free port, signs in a city official of 2201 through the form in Chromium
(/usr/bin/chromium, Playwright), opens /areas/2201/events/map several times and prints:

- the page's data: the HTML and the JSON it loads (the area's outlines, the compact points), as
  transferred (gzip where the client accepts it) and decoded, in bytes; the vendored scripts and styles
  are counted apart (cached after the first visit);
- the time from the start of the navigation until the first marker cluster is in the page, and until the
  map says it is drawn (all points clustered), in ms (median of the runs).

Targets (issue 14): data ≤ 1.5 MB, drawn ≤ 2 s. A benchmark, not a test: it prints figures, asserts nothing.

    python bench/bench_event_map.py             # 100,000 events (about a minute to fill)
    python bench/bench_event_map.py --quick     # 20,000 events, 2 runs
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, ROOT, scratch_database  # noqa: E402

COUNTIES = ("220102", "220122")
CITY = "2201"
OPEN = ("reported", "registered", "dispatched", "accepted", "handled", "verified")
TARGET_BYTES = 1_500_000
TARGET_MS = 2000.0
CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
# Records when the first cluster icon enters the page (ms since the navigation started).
WATCH = """
new MutationObserver(function (changes, obs) {
  if (document.querySelector('.marker-cluster')) { window.__firstCluster = performance.now(); obs.disconnect(); }
}).observe(document, { childList: true, subtree: true });
"""


def fill(url: str, n: int, seed: int) -> tuple[int, str]:
    """Areas, grids, categories, N open events and a city official; returns (grids, password)."""
    import numpy as np
    import psycopg
    import shapely
    from sqlalchemy import select
    from sqlalchemy.orm import sessionmaker, undefer

    from linli.accounts.service import create_user, grant_role
    from linli.areas.demo import generate_county_grids
    from linli.areas.importer import import_boundaries, import_divisions
    from linli.areas.models import Area
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.events.seed import CATEGORIES, seed_categories

    data = ROOT / "src" / "linli" / "data"
    actor = system_principal("bench")
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as s:
        import_divisions(s, actor, (data / "divisions-22.json").read_bytes())
        fc = json.loads((data / "counties-22.geojson").read_text(encoding="utf-8"))
        fc["features"] = [f for f in fc["features"] if f["properties"]["adcode"] in COUNTIES]
        import_boundaries(s, actor, json.dumps(fc))
    for county in COUNTIES:
        with unit_of_work(factory) as s:
            generate_county_grids(s, actor, county)
    with unit_of_work(factory) as s:
        seed_categories(s)
        user, password = create_user(s, actor, "bench_city", "长春市干部", CITY)
        grant_role(s, actor, user.id, "official", CITY)
        grids = s.scalars(select(Area).options(undefer(Area.boundary)).where(Area.level == "grid")).all()
        shapes = [(g.code, shapely.from_geojson(g.boundary)) for g in grids]
    rng = np.random.default_rng(seed)
    cats = [c[0] for c in CATEGORIES if len(c[0]) == 4]
    now = datetime.now(UTC)
    rows = io.StringIO()
    per_grid = np.bincount(rng.integers(0, len(shapes), n), minlength=len(shapes))
    for (code, shape), k in zip(shapes, per_grid, strict=True):
        if not k:
            continue
        x0, y0, x1, y1 = shape.bounds
        xs, ys = np.empty(0), np.empty(0)
        while len(xs) < k:  # points inside the grid's polygon: draw in its box, keep those inside
            cx, cy = rng.uniform(x0, x1, 4 * k), rng.uniform(y0, y1, 4 * k)
            inside = shapely.contains_xy(shape, cx, cy)
            xs, ys = np.concatenate([xs, cx[inside]]), np.concatenate([ys, cy[inside]])
        for i in range(k):
            state = OPEN[rng.integers(0, len(OPEN))]
            deadline = (now + timedelta(days=float(rng.normal(2, 3)))).isoformat()
            reported = (now - timedelta(days=float(rng.uniform(0, 60)))).isoformat()
            cat = cats[rng.integers(0, len(cats))]
            rows.write(
                f"{cat}\t{state}\tbench\t\t{xs[i]:.6f}\t{ys[i]:.6f}\t\tdemo\t0\t{deadline}\t{reported}\t{reported}"
                f"\t0\ttrue\t{code}\n"
            )
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY events (category_code, state, title, description, lon, lat, address, source, "
                "escalation_level, stage_deadline, reported_at, updated_at, me_too_count, generated, area_code) "
                "FROM STDIN"
            ) as copy,
        ):
            copy.write(rows.getvalue())
        conn.commit()
    from linli.events.repository import rebuild_counts

    with unit_of_work(factory) as s:
        rebuild_counts(s)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE events")
    engine.dispose()
    return len(shapes), password


def serve(url: str):
    """The application on a free port, in a thread; returns (base URL, server)."""
    import uvicorn
    from sqlalchemy.orm import sessionmaker

    from linli.app import create_app
    from linli.db.engine import make_engine

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    factory = sessionmaker(bind=make_engine(url), expire_on_commit=False)
    config = uvicorn.Config(create_app(session_factory=factory), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def visit(page, base: str) -> dict:
    """One visit of the map page: bytes by kind (transferred, decoded) and the times."""
    seen: dict[str, list[int]] = {"page data": [0, 0], "scripts and styles": [0, 0]}
    server: dict[str, float] = {}
    responses = []

    def keep(response) -> None:
        responses.append(response)

    page.on("response", keep)
    page.goto(f"{base}/areas/{CITY}/events/map")
    page.wait_for_selector("#events-map[data-ready='1']", state="attached", timeout=120_000)
    drawn = page.evaluate("performance.now()")
    first = page.evaluate("window.__firstCluster || null")
    count = page.get_attribute("#events-map", "data-count")
    mode = page.get_attribute("#events-map", "data-mode")
    loaded = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/map-points'))"
        ".map(e => e.responseEnd)[0] || null"
    )
    for r in responses:
        if 300 <= r.status < 400:
            raise SystemExit(f"{r.url} redirected to {r.headers.get('location')}: not signed in?")
        kind = "scripts and styles" if "/static/" in r.url else "page data"
        timing = r.headers.get("server-timing", "")
        if "dur=" in timing and ("/api/" in r.url or r.url.endswith("/events/map")):
            name = "points" if "/map-points" in r.url else "outlines" if "/outlines" in r.url else "page"
            server[name] = float(timing.split("dur=")[1].split(",")[0])
        sizes = r.request.sizes()
        seen[kind][0] += sizes["responseBodySize"]
        seen[kind][1] += len(r.body())
    page.remove_listener("response", keep)
    return {
        "bytes": seen,
        "points_ms": loaded,
        "first_ms": first,
        "drawn_ms": drawn,
        "count": count,
        "mode": mode,
        "server": server,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=20261204)
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--quick", action="store_true", help="20,000 events, 2 runs")
    args = p.parse_args(argv)
    n, runs = (20_000, 2) if args.quick else (args.events, args.runs)
    os.environ.setdefault("LINLI_PASSWORD_HASH_COST", "test")

    from playwright.sync_api import sync_playwright

    with scratch_database(args.pg_url, "linli_bench_map") as url:
        print(f"filling {n:,} open events in the grids of {', '.join(COUNTIES)} ...", flush=True)
        t0 = time.perf_counter()
        grids, password = fill(url, n, args.seed)
        print(f"filled in {time.perf_counter() - t0:.0f} s ({grids:,} grids)")
        os.environ["LINLI_DATABASE_URL"] = url
        base, server = serve(url)
        results = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            ctx.add_init_script(WATCH)
            page = ctx.new_page()
            page.goto(f"{base}/login")
            page.fill("#username", "bench_city")
            page.fill("#password", password)
            with page.expect_navigation():
                page.click("form[action='/login'] button[type=submit]")
            for _ in range(runs):
                results.append(visit(page, base))
            browser.close()
        server.should_exit = True
    report(n, results)


def report(n: int, results: list[dict]) -> None:
    first = results[0]
    sent, decoded = first["bytes"]["page data"]
    static_sent, static_decoded = first["bytes"]["scripts and styles"]
    print(f"\n/areas/{CITY}/events/map, {n:,} open events, {len(results)} visits (headless Chromium):")
    verdict = "meets" if sent <= TARGET_BYTES else "MISSES"
    print(f"  page data (HTML + outlines + points): {sent:,} bytes transferred, {decoded:,} decoded", end="")
    print(f" ({verdict} ≤ 1.5 MB)")
    print(f"  scripts and styles (first visit, cached later): {static_sent:,} transferred, {static_decoded:,} decoded")
    print(f"  events on the map: {first['count']} (sent as {first['mode']}: by grid past 5,000 events)")
    warm = results[1:] or results
    steps = (
        ("points_ms", "points received"),
        ("first_ms", "first cluster drawn"),
        ("drawn_ms", "all points clustered (data-ready)"),
    )
    for part in ("page", "outlines", "points"):
        times = [r["server"].get(part) for r in warm if r["server"].get(part) is not None]
        if times:
            print(f"  server time, {part:<29s} median {statistics.median(times):7.0f} ms")
    for key, name in steps:
        times = [r[key] for r in warm if r[key] is not None]
        med = statistics.median(times)
        verdict = "meets" if med <= TARGET_MS else "MISSES"
        print(
            f"  {name:<36s} median {med:7.0f} ms  best {min(times):7.0f} ms  "
            f"(first visit {first[key]:.0f} ms; {verdict} ≤ 2 s)"
        )


if __name__ == "__main__":
    main()
