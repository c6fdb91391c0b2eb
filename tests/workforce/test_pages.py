"""The workforce pages: one's own post and level, an area's staffing, the pay run's preview, a refusal
naming what is missing (form kept), and confirming once."""

from __future__ import annotations

from datetime import date

from linli.workforce import reads, seed
from tests.factories import auth, make_user, token_for
from tests.factories_workforce import COUNTY, county_rules, make_worker


def test_pages_of_the_worker_the_street_and_the_county(session, areas, client):
    table = seed.coefficients()
    del table[9]
    county_rules(session, coefficients=table)
    cw = make_user(session, "wfp_cw", "community_worker", "220102001001")
    make_worker(session, level=4, user_id=cw.id, name="页面社工")
    make_worker(session, level=9, name="九级社工", start=date(2026, 1, 1))
    street = make_user(session, "wfp_street", "official", "220102001")
    county = make_user(session, "wfp_county", "official", COUNTY)
    tok = {u.username: token_for(session, u) for u in (cw, street, county)}
    session.commit()
    me = client.get("/workforce", headers=auth(tok["wfp_cw"]))
    assert me.status_code == 200 and f"{max(2029, reads.today().year + 1)}-01-01" in me.text
    page = client.get("/areas/220102001/workforce", headers=auth(tok["wfp_street"]))
    assert page.status_code == 200 and "九级社工" in page.text and "10–15" in page.text
    assert "/workforce/pay" not in page.text  # a street does not run the pay
    assert client.get(f"/areas/{COUNTY}/workforce/pay", headers=auth(tok["wfp_street"])).status_code == 404  # above it
    refused = client.get(f"/areas/{COUNTY}/workforce/pay?month=2026-03", headers=auth(tok["wfp_county"]))
    assert refused.status_code == 422 and "缺少等级 9 的系数" in refused.text
    county_rules(session)  # the full table
    session.commit()
    preview = client.get(f"/areas/{COUNTY}/workforce/pay?month=2026-03", headers=auth(tok["wfp_county"]))
    assert preview.status_code == 200 and "4427.50" in preview.text and "table.xlsx" not in preview.text
    done = client.post(
        f"/areas/{COUNTY}/workforce/pay", data={"month": "2026-03"}, headers=auth(tok["wfp_county"]),
        follow_redirects=True,
    )  # fmt: skip
    assert done.status_code == 200 and "table.xlsx" in done.text
