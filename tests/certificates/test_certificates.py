"""Community certificates: the national negative list (20 items, each with where to go instead), the list
that applies at a place, issuing on it (the text fixed, the audit entry without the person's name), and the
refusals with nothing written: an item of the negative list (by code or by name), one not on the list, a
person outside the community, a counter out of reach."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.certificates import kinds, repository, service
from linli.certificates.models import Certificate
from linli.certificates.schemas import CertificateIn, KindIn
from linli.kit.errors import Forbidden, InvalidInput, NotFound
from tests.factories import VILLAGE_A
from tests.factories_certificates import VILLAGE_B, certificates_world


@pytest.fixture
def world(session):
    return certificates_world(session)


def _issued(session) -> int:
    return session.scalar(select(func.count()).select_from(Certificate))


def _ask(world, kind: str, person: str = "head", **kw) -> CertificateIn:
    return CertificateIn(area_code=VILLAGE_A, kind=kind, person_id=world["persons"][person].id, purpose="单位政审",
                         **kw)  # fmt: skip


def test_the_negative_list():
    assert len(kinds.NEGATIVE_LIST) == 20
    assert len({r.name for r in kinds.NEGATIVE_LIST}) == 20 and all(r.channel for r in kinds.NEGATIVE_LIST)
    assert [r.number for r in kinds.NEGATIVE_LIST] == list(range(1, 21))
    assert kinds.refused_named("NEG-05").name == "无犯罪记录证明"
    assert kinds.refused_named("开一张无犯罪记录证明").number == 5
    assert kinds.refused_named("指定监护人证明") is None


def test_issue_on_the_list(session, world):
    worker = world["p"]["worker"]
    assert {k.code for k in repository.kinds_at(session, VILLAGE_A)} == {"ZM-01", "ZM-02", "ZM-03", "ZM-04"}
    c = service.issue(session, worker, _ask(world, "ZM-03", details="第十一届委员会委员"))
    assert c.person_name == "张伟" and "张伟" in c.body and "第十一届委员会委员" in c.body and "华阳社区" in c.body
    by_name = service.issue(session, worker, _ask(world, "居民委员会成员任职证明", person="spouse"))
    assert by_name.kind_id == c.kind_id
    session.commit()
    entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "certificates.issue")))
    assert len(entries) == 2 and all("张伟" not in (e.after or "") for e in entries)


def test_refusals_write_nothing(session, world):
    worker = world["p"]["worker"]
    with pytest.raises(InvalidInput, match="公安机关") as caught:
        service.issue(session, worker, _ask(world, "NEG-05"))
    assert caught.value.code == "negative_list" and caught.value.details["item"] == "NEG-05"
    with pytest.raises(InvalidInput, match="助产机构"):
        service.issue(session, worker, _ask(world, "出生证明"))
    with pytest.raises(InvalidInput, match="not on the list") as caught:
        service.issue(session, worker, _ask(world, "房屋产权证明"))
    assert caught.value.code == "not_on_list"
    with pytest.raises(NotFound):  # a resident of the next community
        service.issue(session, worker, _ask(world, "ZM-03", person="neighbour"))
    with pytest.raises(NotFound):  # a counter out of reach
        service.issue(session, world["p"]["other"], _ask(world, "ZM-03"))
    with pytest.raises(Forbidden):  # an official of the city may see, not issue
        service.issue(session, world["p"]["official"], _ask(world, "ZM-03"))
    assert _issued(session) == 0


def test_the_list_is_kept_by_a_province_city_or_county(session, world):
    official = world["p"]["official"]
    base = {"code": "CC-01", "legal_basis": "依据", "purpose": "用途", "sample_text": "兹证明{name}。",
            "handling_time": "即时办结"}  # fmt: skip
    k = service.save_kind(session, official, KindIn(area_code="2201", name="长春市示例证明", **base))
    assert k.id in {x.id for x in repository.kinds_at(session, VILLAGE_B)}
    with pytest.raises(InvalidInput, match="negative list"):
        service.save_kind(session, official, KindIn(area_code="2201", name="居民婚姻状况证明", **base))
    with pytest.raises(InvalidInput, match="province, a city or a county"):
        service.save_kind(session, official, KindIn(area_code=VILLAGE_A, name="社区证明", **base))
    with pytest.raises(InvalidInput, match="sample text"):
        service.save_kind(session, official, KindIn(area_code="2201", name="坏样本", **{**base, "sample_text": "{0}"}))
    with pytest.raises(NotFound):
        service.save_kind(session, official, KindIn(area_code="2202", name="吉林市证明", **base))
