"""The area page's name search: run by HTMX, its URL pushed (a reload or a switch of language keeps the
query), answered as a fragment for HTMX and as a whole page otherwise — also when HTMX restores it."""

from __future__ import annotations

from tests.factories import auth, make_user, token_for


def test_the_search_is_a_page_of_its_own_and_a_fragment_for_htmx(client, areas):
    user = make_user(areas, "search_cw", "official", "220102")
    tok = token_for(areas, user)
    areas.commit()
    h = auth(tok)
    page = client.get("/areas/220102", headers=h).text
    assert 'hx-get="/areas/220102/find"' in page and 'hx-push-url="true"' in page
    url = "/areas/220102/find?q=%E8%A1%97%E9%81%93"  # 街道
    fragment = client.get(url, headers=h | {"HX-Request": "true"}).text
    assert "<html" not in fragment
    for headers in ({}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}):
        whole = client.get(url, headers=h | headers).text
        assert "<html" in whole and 'value="/areas/220102/find?q=%E8%A1%97%E9%81%93"' in whole, headers
