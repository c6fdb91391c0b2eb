"""Granting a role on the web: the area is found by name among the administrator's areas and chosen with
a tap, not typed as a code (issue 14, item 6); an area beyond the administrator's reach is neither offered
nor accepted when sent by hand."""

from __future__ import annotations

from sqlalchemy import select

from linli.areas.models import Area
from linli.authz.models import Grant
from linli.kit.codes import pad
from tests.factories import TOWN_A, VILLAGE_A, auth, make_user, token_for


def _setup(session):
    admin = make_user(session, "town_admin", "admin", TOWN_A)
    worker = make_user(session, "new_worker", "community_worker", VILLAGE_A)
    village = session.get(Area, VILLAGE_A)
    outside = session.scalar(select(Area).where(Area.level == "village", Area.parent_code != TOWN_A).limit(1))
    secret = token_for(session, admin)
    session.commit()
    return admin, worker, village, outside, secret


def test_the_area_is_found_by_name_within_reach_and_granted_with_a_tap(client, areas):
    admin, worker, village, outside, secret = _setup(areas)
    h = auth(secret)
    page = client.get(f"/admin/users/{worker.id}", params={"area_q": village.name[:2]}, headers=h).text
    choices = page.split('id="area-choices"', 1)[1].split("</fieldset>", 1)[0]
    assert f'name="chosen" value="{VILLAGE_A}"' in choices and village.name in choices
    assert f'value="{outside.code}"' not in choices  # a village of another township: beyond reach
    assert 'id="area-more"' not in page  # fewer than the page's limit
    # Not found: said so.
    page = client.get(f"/admin/users/{worker.id}", params={"area_q": outside.name}, headers=h).text
    if outside.name not in village.name:
        assert 'id="area-none"' in page
    # The tap grants the role there.
    r = client.post(
        f"/admin/users/{worker.id}/grants",
        data={"role": "grid_worker", "chosen": VILLAGE_A, "area_code": ""},
        headers=h,
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    held = areas.scalars(select(Grant.area_code).where(Grant.user_id == worker.id, Grant.role == "grid_worker"))
    assert list(held) == [pad(VILLAGE_A)]
    # Sent by hand beyond reach: refused, nothing granted.
    r = client.post(
        f"/admin/users/{worker.id}/grants",
        data={"role": "grid_worker", "chosen": outside.code},
        headers=h,
    )
    assert r.status_code in (403, 404)
    granted = select(Grant.id).where(Grant.user_id == worker.id, Grant.area_code == pad(outside.code))
    assert areas.scalar(granted) is None
