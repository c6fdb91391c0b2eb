"""A notice's audience before it is published: how many it will reach by channel, counted by the rule the
fan-out follows (the preview equals what publishing then enqueues), and a clear warning when some or all
of the residents it is meant for have no channel."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from linli.notices import service
from linli.notify.models import OutboxMessage
from linli.residents.models import AccountLink, Person
from tests.factories import auth, token_for
from tests.factories_residents import GRID, make_person
from tests.notices import test_notices
from tests.notices.test_notices import draft

world = test_notices.world  # the notices' world (a fixture)


def enqueued(session, ref) -> tuple[int, Counter]:
    rows = session.execute(
        select(OutboxMessage.subscription_id, OutboxMessage.channel).where(OutboxMessage.ref == ref)
    ).all()
    staff = sum(1 for sub, _ in rows if sub is None)
    return staff, Counter(ch for sub, ch in rows if sub is not None)


def test_the_preview_is_what_publishing_then_sends(session, world):
    p = world["p"]
    for audience, tag in (("all_residents", None), ("workers_only", None), ("tag", "elderly_alone")):
        n = draft(session, p["street"], audience=audience, tag=tag)
        before = service.preview(session, p["street"], n.id)
        service.publish(session, p["street"], n.id)
        staff, by_channel = enqueued(session, n.ref)
        assert (before.reach.staff, before.reach.by_channel) == (staff, dict(by_channel)), audience
    assert before.reach.by_channel == {"inbox": 1, "webhook": 1}
    # The elder on two channels is one person reached; the one tagged elder is reached.
    assert (before.residents, before.reach.subscribers, before.reach.entries, before.without_channel) == (1, 1, 1, 0)


def test_residents_without_a_channel_are_counted(session, world):
    p = world["p"]
    workers = service.preview(session, p["street"], draft(session, p["street"], audience="workers_only").id)
    assert workers.residents is None and workers.reach.by_channel == {} and workers.reach.staff == 3
    for name in ("孙低保", "周低保"):
        make_person(session, None, name=name, relation=None, grid=GRID, tags=("subsistence",))
    n = draft(session, p["street"], audience="tag", tag="subsistence")
    none = service.preview(session, p["street"], n.id)
    assert (none.residents, none.reach.subscribers, none.without_channel) == (2, 0, 2)
    nobody = service.preview(session, p["street"], draft(session, p["street"], audience="tag", tag="veteran").id)
    assert nobody.residents == 0
    # All residents: the register's present persons (the elder and the two) against the subscribers: three
    # people (two accounts, not in the register, and the elder), of whom one register entry.
    everyone = service.preview(session, p["street"], draft(session, p["street"]).id)
    assert (everyone.residents, everyone.reach.subscribers, everyone.reach.entries) == (3, 3, 1)
    assert everyone.without_channel == 2
    # An account linked to its register entry subscribed by itself: that entry is reached.
    (sun,) = [x for x in session.scalars(select(Person).where(Person.name == "孙低保"))]
    session.add(AccountLink(user_id=world["u"]["res1"].id, person_id=sun.id, linked_by="test"))
    session.flush()
    again = service.preview(session, p["street"], draft(session, p["street"]).id)
    assert (again.reach.entries, again.without_channel) == (2, 1)


def test_the_publish_step_says_so_before_publishing(client, session, world):
    p, u = world["p"], world["u"]
    make_person(session, None, name="孙低保", relation=None, grid=GRID, tags=("subsistence",))
    none = draft(session, p["street"], audience="tag", tag="subsistence")
    some = draft(session, p["street"], audience="tag", tag="elderly_alone")
    make_person(session, None, name="吴独居", relation=None, grid=GRID, tags=("elderly_alone",))
    tok = token_for(session, u["street"])
    session.commit()
    h = auth(tok) | {"Cookie": "linli_lang=en"}
    page = client.get(f"/notices/{none.id}/edit", headers=h).text
    assert 'id="audience-none"' in page and "None of the 1 residents it is meant for has a channel" in page
    page = client.get(f"/notices/{some.id}/edit", headers=h).text
    assert 'id="audience-some"' in page and "1 of the 2 residents it is meant for have no channel" in page
    assert "Residents by SMS: 1" in page and "Residents by Messages on this site: 1" in page
    zh = client.get(f"/notices/{none.id}/edit", headers=auth(tok)).text
    assert "名目标居民都没有接收渠道" in zh
