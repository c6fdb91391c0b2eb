"""The certificate counter: a certificate on the negative list refused through the form with the channel
named and what was typed kept, one on the list issued and printed, the public lists, and 404 beside."""

from __future__ import annotations

import pytest

from linli.kit.pdf import PdfUnavailable, font_path
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_certificates import certificates_world

EN = {"Cookie": "linli_lang=en"}


@pytest.fixture
def world(session):
    w = certificates_world(session)
    w["tok"] = {k: token_for(session, u) for k, u in w["users"].items()}
    session.commit()
    return w


def test_the_counter(client, world, backend):
    h = auth(world["tok"]["worker"]) | EN
    page = client.get(f"/areas/{VILLAGE_A}/certificates", params={"q": "张"}, headers=h)
    assert page.status_code == 200 and "无犯罪记录证明" in page.text and "张伟" in page.text
    head = str(world["persons"]["head"].id)
    refused = client.post(f"/areas/{VILLAGE_A}/certificates", headers=h,
                          data={"kind": "NEG-05", "person_id": head, "purpose": "我要出国用"})  # fmt: skip
    assert refused.status_code == 422 and "我要出国用" in refused.text
    assert "communities do not issue “无犯罪记录证明”" in refused.text and "instead: 向公安机关" in refused.text
    issued = client.post(f"/areas/{VILLAGE_A}/certificates", headers=h, follow_redirects=False,
                         data={"kind": "ZM-03", "person_id": head, "purpose": "政审", "details": "委员"})  # fmt: skip
    assert issued.status_code == 303
    listed = client.get("/api/v1/certificates", params={"area": VILLAGE_A}, headers=h).json()
    assert listed["total"] == 1 and listed["items"][0]["person_name"] == "张伟"
    other = auth(world["tok"]["other"])
    assert client.get(f"/api/v1/certificates/{listed['items'][0]['id']}", headers=other).status_code == 404
    assert client.get(f"/areas/{VILLAGE_A}/certificates", headers=other).status_code == 404
    public = client.get("/api/v1/certificates/negative-list").json()
    assert len(public["items"]) == 20 and "民发〔2020〕20号" in public["source"]
    assert len(client.get("/api/v1/certificates/kinds", params={"area": VILLAGE_A}).json()) == 4
    try:
        font_path()
    except PdfUnavailable:
        return
    if backend != "sqlite":
        return
    pdf = client.get(f"/api/v1/certificates/{listed['items'][0]['id']}/certificate.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
