"""Benchmark: server time of each console page type with the whole Jilin dataset loaded.

Builds a fresh SQLite database the way `linli demo` does (13,014 areas, 60 county boundaries,
generated grids in 南关区 and 农安县), signs in as the province administrator, requests each page
type many times and prints p50/p95 of the server time (the app's Server-Timing header), and the size
of the boundary GeoJSON the province page loads. Target: every page <= 150 ms; GeoJSON <= 1.5 MB.

    python bench/bench_pages.py [--repeat 30] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="5 requests per page")
    args = ap.parse_args()
    repeat = 5 if args.quick else args.repeat
    tmp = tempfile.mkdtemp(prefix="linli-bench-pages-")
    os.environ["LINLI_DATA_DIR"] = tmp

    from fastapi.testclient import TestClient
    from sqlalchemy.orm import sessionmaker

    from linli.app import create_app
    from linli.authz.principal import system_principal
    from linli.cli import demo
    from linli.db.engine import make_engine
    from linli.db.migrate import upgrade
    from linli.db.session import unit_of_work

    engine = make_engine(f"sqlite:///{tmp}/bench.db")
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as s:
        demo.load_data(s, system_principal("bench"), lambda _: None)
        accounts = dict((a.username, p) for a, p in demo.ensure_accounts(s, system_principal("bench")))
    client = TestClient(create_app(session_factory=factory))
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login", data={"username": "admin", "password": accounts["admin"], "csrf_token": csrf}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    pages = {
        "login": "/login",
        "home": "/?stay=1",
        "area: province 22": "/areas/22",
        "area: city 2201": "/areas/2201",
        "area: county 220122 (rural, 22 townships)": "/areas/220122",
        "area: township 220102001": "/areas/220102001",
        "area: village 220102001001 (grids)": "/areas/220102001001",
        "search in province (社区)": "/areas/22/find?q=社区",
        "grid page": "/grids/220102001001001",
        "new grid form": "/areas/220102001001/grids/new",
        "users": "/admin/users",
        "user detail": "/admin/users/2",
        "api tokens": "/account/tokens",
        "audit log": "/audit",
        "not found": "/areas/229999",
        "geojson: province map (counties)": "/api/v1/areas/22/boundaries",
        "geojson: village grids": "/api/v1/areas/220102001001/grids",
    }
    print(f"{'page':45s} {'status':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'bytes':>10s}")
    worst = 0.0
    for name, url in pages.items():
        times, size, status = [], 0, 0
        for _ in range(repeat + 2):
            resp = client.get(url)
            status, size = resp.status_code, len(resp.content)
            times.append(float(resp.headers["server-timing"].split("dur=")[1]))
        times = sorted(times[2:])  # the first two warm caches (templates, locate index)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        if not name.startswith("geojson"):
            worst = max(worst, p95)
        print(f"{name:45s} {status:6d} {p50:8.1f} {p95:8.1f} {max(times):8.1f} {size:10,d}")
    geo = client.get("/api/v1/areas/22/boundaries").content
    print(f"\nworst page p95: {worst:.1f} ms (target <= 150 ms per page)")
    print(f"province map GeoJSON: {len(geo) / 1e6:.2f} MB (target <= 1.5 MB)")


if __name__ == "__main__":
    main()
