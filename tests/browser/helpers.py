"""Helpers of the browser tests: sign in, wait for maps, run axe-core, take screenshots."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def login(page, live_server, username: str, password: str | None = None, next_: str = ""):
    """Sign in through the form (the demo password of `username` unless given); returns the page."""
    page.goto("/login" + (f"?next={next_}" if next_ else ""))
    page.fill("#username", username)
    page.fill("#password", live_server.passwords[username] if password is None else password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    settle(page)
    if password is None and "/login" in page.url and not page.locator("#login-error").count():
        pytest.fail(
            f"{username} signed in, but the page after the redirect ({page.url}) asks to sign in again: the new "
            "session was not yet committed when the browser followed the redirect (see test_commit_order.py)",
            pytrace=False,
        )
    return page


def visit(page, path: str):
    """Go to a path and wait for its maps; returns the response."""
    resp = page.goto(path)
    settle(page)
    return resp


# map.js and events.js mark a map data-ready="1" once its GeoJSON is drawn (or has failed and said so).
MAPS = "#map[data-source], #draw-map, #events-map, #cap-draw-map, #warning-map, #pick-map, #point-map"


def settle(page) -> None:
    """Wait until the page's scripts have drawn what they draw (maps load their GeoJSON)."""
    page.wait_for_load_state("load")
    # One round trip when every map is drawn (or the page has none); else polled each frame until they are.
    page.wait_for_function(
        "sel => Array.from(document.querySelectorAll(sel)).every(el => el.dataset.ready === '1')", arg=MAPS
    )


def nav_links(page, menu: str = "nav.mainnav") -> dict[str, str]:
    """The main navigation (or `menu`: "nav.account", one's own account's links beside one's name):
    href → label (without the count a link may carry: nav_badges)."""
    return dict(
        page.locator(f"{menu} a").evaluate_all(
            "els => els.map(a => { const c = a.cloneNode(true); c.querySelectorAll('.badge').forEach(b => b.remove());"
            " return [a.getAttribute('href'), c.textContent.trim()]; })"
        )
    )


def nav_badges(page) -> dict[str, str]:
    """The counts beside the main navigation's links: href → the badge's text (its number and what it counts)."""
    return dict(
        page.locator("nav.mainnav a:has(.badge)").evaluate_all(
            "els => els.map(a => [a.getAttribute('href'), a.querySelector('.badge').textContent.trim()])"
        )
    )


# Records the page's Content-Security-Policy violations (an init script: it runs before the page's own
# scripts, and is not itself subject to the page's CSP).
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") +
                              (e.sourceFile ? " (" + e.sourceFile + ":" + e.lineNumber + ")" : "") +
                              (e.sample ? " sample: " + e.sample : ""));
});
"""


def watch_csp(context) -> None:
    """Record every CSP violation of the context's pages (read them with csp_violations)."""
    context.add_init_script(CSP_WATCH)


def csp_violations(page) -> list[str]:
    """The CSP violations the page has had since it loaded, each once (watch_csp must be on its context)."""
    return list(dict.fromkeys(page.evaluate("() => window.__cspViolations || []")))


def preload_axe(context) -> None:
    """Load axe-core into every page of the context as it loads (an init script, sent to the browser once
    and not subject to the page's CSP), instead of sending it with each check."""
    context.add_init_script(path=str(AXE))


# axe-core's run, answering only what axe_problems reports: the serious and critical violations, each
# with its nodes' targets and failure summaries (not the passes, incomplete and inapplicable rules).
AXE_RUN = """async (tags) => {
  if (typeof window.axe === 'undefined') return null;
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary || ''}))}));
}"""


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    found = page.evaluate(AXE_RUN, WCAG_TAGS)
    if found is None:  # not preloaded (preload_axe)
        # Evaluated through the DevTools protocol: a <script> tag added to the page would be inline
        # script, which the page's CSP refuses.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        found = page.evaluate(AXE_RUN, WCAG_TAGS)
    return found


def axe_problems(page, what: str) -> list[str]:
    """The serious/critical violations on the page, one paragraph each (empty when none)."""
    lines = []
    for v in axe_violations(page):
        targets = [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"]]
        summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")
        lines.append(
            f"{what} ({page.url}): {v['id']} ({v['impact']}): {v['help']} — {len(targets)} node(s): "
            f"{targets[:5]}\n    first: {summary[:300]}"
        )
    return lines


def assert_accessible(page, what: str) -> None:
    problems = axe_problems(page, what)
    if problems:
        pytest.fail("axe-core found serious/critical violations:\n" + "\n".join(problems), pytrace=False)


def screenshot(page, name: str) -> Path | None:
    """A full-page screenshot into test-output/screenshots/ when LINLI_SCREENSHOTS=1 (to look at the pages
    as their users see them); otherwise nothing: a screenshot costs about 0.15 s and no test reads it."""
    if os.environ.get("LINLI_SCREENSHOTS", "") in ("", "0", "false", "no"):
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def api_json(page, path: str):
    """GET an API path with the page's cookies (the signed-in user's view)."""
    resp = page.request.get(path, headers={"Accept": "application/json"})
    assert resp.ok, f"{path}: {resp.status}"
    return json.loads(resp.text())


def event_marker_point(page, event_id: int) -> tuple[float, float]:
    """Page coordinates of an event's marker on the events map, its cluster opened (zoomed or spread)."""
    page.locator("#events-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """id => new Promise(done => {
          const el = document.getElementById('events-map'), group = el.linliCluster;
          const m = group.getLayers().find(l => l.options.eventId === id);
          group.zoomToShowLayer(m, () => setTimeout(() => {
            const p = el.linliMap.latLngToContainerPoint(m.getLatLng());
            done([p.x, p.y]);
          }, 300));
        })""",
        event_id,
    )
    box = page.locator("#events-map").bounding_box()
    return box["x"] + x, box["y"] + y
