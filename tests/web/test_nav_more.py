"""The menu's "More": links of work done now and then sit behind one tap at the end of the menu, open
on one of their own pages, and are missing for whoever would be refused behind them."""

from __future__ import annotations

import re

from tests.factories import VILLAGE_A, auth, make_user, token_for

EN = {"Cookie": "linli_lang=en"}


def _menu(html: str) -> tuple[str, str]:
    menu = html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    daily, _, more = menu.partition("<details")
    return daily, more


def test_registers_and_reports_are_under_more_and_open_where_one_is(client, areas):
    admin = make_user(areas, "nav_admin", "admin", "22")
    resident = make_user(areas, "nav_res", "resident", VILLAGE_A)
    tokens = {"admin": token_for(areas, admin), "resident": token_for(areas, resident)}
    areas.commit()
    daily, more = _menu(client.get("/", headers=auth(tokens["admin"]) | EN).text)
    assert 'href="/admin/users"' in more and 'href="/audit"' in more and "<summary>More</summary>" in more
    assert 'href="/admin/users"' not in daily and "Events</a>" in daily and "Funding" in more
    assert not re.search(r"<details[^>]*open", "<details" + more)  # closed away from its pages
    _, on_audit = _menu(client.get("/audit", headers=auth(tokens["admin"]) | EN).text)
    assert on_audit.startswith(" open>") and 'href="/audit" aria-current="page"' in on_audit
    daily, more = _menu(client.get("/", headers=auth(tokens["resident"]) | EN).text)
    assert more == "" and "/audit" not in daily  # nothing for a resident behind "More"
