"""Warning progress names the overdue workers: display name, their grid (a link to the grid page) and a
call link with the phone of their own register entry — masked on the page, the full number in the tel:
link only for a reader who may see it (residents.reveal there), and each such reveal audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from linli.alerts import confirm, service
from linli.audit.models import AuditEntry
from linli.audit.service import write_pending
from linli.kit.time import utcnow
from linli.residents.models import AccountLink
from tests.alerts import test_delivery
from tests.alerts.test_delivery import TOWNSHIP, warning_in
from tests.factories import SYSTEM, VILLAGE_A, auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, make_person

world = test_delivery.world  # the warnings' world of the delivery tests (a fixture)


def _setup(session, world):
    u = world["u"]
    u["gw1"].display_name = "王网格"
    u["cw1"].display_name = "刘社区"
    me = make_person(session, None, name="王网格", relation=None, grid=GRID, phone="13712345678")
    session.add(AccountLink(user_id=u["gw1"].id, person_id=me.id, linked_by="test"))
    m = service.issue(session, SYSTEM, warning_in())
    confirm.confirm(session, principal(u["gw2"], ("grid_worker", GRID_B)), m.identifier, "received")
    session.flush()
    return m, me


def test_the_overdue_are_named_with_their_place_and_phone(session, world):
    m, me = _setup(session, world)
    u = world["u"]
    later = utcnow() + timedelta(minutes=45)
    official = principal(u["official"], ("official", "220102"))
    workers = confirm.overdue_workers(session, official, m, TOWNSHIP, now=later)
    # gw2 answered; gw1 (their grid) and the community worker (their village) did not.
    assert [(w.name, w.place_code, w.is_grid) for w in workers] == [
        ("刘社区", VILLAGE_A, False),
        ("王网格", GRID, True),
    ]
    gw1 = workers[1]
    assert gw1.place_name == "网格1" and gw1.phone == "137****5678"
    assert gw1.call is None  # an official does not see the register's numbers in full
    community = principal(u["cw1"], ("community_worker", VILLAGE_A))
    (_, gw1) = confirm.overdue_workers(session, community, m, VILLAGE_A, now=later)
    assert gw1.call == "13712345678" and workers[0].phone is None  # no register entry, no phone
    # Not yet overdue: nobody listed.
    assert confirm.overdue_workers(session, official, m, TOWNSHIP) == []


def test_the_warning_page_lists_them_and_audits_each_number_shown(client, session, world):
    m, me = _setup(session, world)
    u = world["u"]
    boss = make_user(session, "cw_boss", "community_worker", VILLAGE_A)
    tokens = {"official": token_for(session, u["official"]), "cw": token_for(session, boss)}
    # Told an hour ago: overdue now.
    from linli.notify.models import OutboxMessage

    session.execute(OutboxMessage.__table__.update().values(created_at=utcnow() - timedelta(hours=1)))
    session.commit()
    page = client.get(f"/warnings/{m.identifier}", headers=auth(tokens["official"])).text
    section = page.split('id="overdue-workers"', 1)[1].split("</ul>", 1)[0]
    assert "王网格" in section and f'href="/grids/{GRID}"' in section and "137****5678" in section
    assert "tel:" not in section and "13712345678" not in page
    # The way back up names the township (its code only in the tooltip).
    page = client.get(f"/warnings/{m.identifier}?area={VILLAGE_A}", headers=auth(tokens["official"])).text
    back = page.split(f'?area={VILLAGE_A[:9]}#deliveries">', 1)[1].split("</a>", 1)[0]
    assert f'title="{VILLAGE_A[:9]}"' in back and f">{VILLAGE_A[:9]}<" not in back
    before = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0
    page = client.get(f"/warnings/{m.identifier}?area={VILLAGE_A}", headers=auth(tokens["cw"])).text
    assert 'href="tel:13712345678"' in page
    write_pending(session)
    reveals = session.scalars(
        select(AuditEntry).where(AuditEntry.seq > before, AuditEntry.action == "persons.reveal")
    ).all()
    assert [(e.entity_id, e.actor) for e in reveals] == [(str(me.id), "cw_boss")]
