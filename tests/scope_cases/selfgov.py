"""Scope cases of self-government: the JSON API and the pages, on a meeting, motions, ballots and matters of
the community under test (VILLAGE_A, where the residents' committees law applies)."""

from __future__ import annotations

from datetime import date

from linli.authz.principal import system_principal
from linli.selfgov import repository as repo
from linli.selfgov.schemas import MatterIn, MeetingIn, MemberIn, VoteIn
from linli.selfgov.service import bodies, convening, matters, meetings, votes
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_selfgov import person
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"
TITLE = "ScopeCaseMatter"
CLERK = system_principal("scope-clerk")


def _meeting(session, kind="residents_meeting", **extra):
    data = MeetingIn(
        area_code=VILLAGE_A,
        kind=kind,
        title="ScopeCaseMeeting",
        notice_on=date(2026, 3, 1),
        held_on=date(2026, 3, 20),
        **extra,
    )
    return data


def setup(session, w) -> dict:
    p = [person(session, GRID, woman=i % 2 == 0).id for i in range(4)]
    seats = []
    for body, who, post in (("party_committee", p[0], "secretary"), ("villagers_committee", p[1], "director")):
        seats.append(
            bodies.seat(
                session,
                SYSTEM,
                MemberIn(area_code=VILLAGE_A, body=body, person_id=who, post=post, term_from=date(2021, 1, 1)),
            )
        )
    m = meetings.call(session, SYSTEM, _meeting(session))
    meetings.sign_in(session, SYSTEM, m.id, [v.person_id for v in repo.voters(session, m.id)])
    x = votes.add_motion(session, SYSTEM, m.id, "x")
    batch = votes.enter(session, CLERK, x.id, [VoteIn(person_id=p[0], choice="yes")], "paper")
    x2 = votes.add_motion(session, SYSTEM, m.id, "x2")
    x3 = votes.add_motion(session, SYSTEM, m.id, "x3")
    votes.enter(session, SYSTEM, x3.id, [VoteIn(person_id=i, choice="yes") for i in p], "recorded")
    failing = meetings.call(session, SYSTEM, _meeting(session))
    matter = matters.propose(session, SYSTEM, MatterIn(area_code=VILLAGE_A, title=TITLE, proposed_on=date(2026, 2, 1)))
    result = matters.propose(
        session, SYSTEM, MatterIn(area_code=VILLAGE_A, title=TITLE + "6", proposed_on=date(2026, 2, 1))
    )
    result.step = 5  # at ⑥: its result is disclosed on the board
    done = matters.propose(
        session, SYSTEM, MatterIn(area_code=VILLAGE_A, title=TITLE + "2", proposed_on=date(2026, 2, 1))
    )
    joint = matters.call_step_meeting(
        session,
        SYSTEM,
        done.id,
        MeetingIn(
            area_code=VILLAGE_A, kind="joint_meeting", title="j", notice_on=date(2026, 2, 2), held_on=date(2026, 2, 5)
        ),
    )
    meetings.sign_in(session, SYSTEM, joint.id, [p[0], p[1]])
    jx = votes.add_motion(session, SYSTEM, joint.id, "j")
    votes.enter(
        session, SYSTEM, jx.id, [VoteIn(person_id=p[0], choice="yes"), VoteIn(person_id=p[1], choice="yes")], "recorded"
    )
    votes.decide(session, SYSTEM, jx.id)
    meetings.close(session, SYSTEM, joint.id)
    held = matters.propose(
        session, SYSTEM, MatterIn(area_code=VILLAGE_A, title=TITLE + "3", proposed_on=date(2026, 2, 1))
    )
    matters.suspend(session, SYSTEM, held.id, "court_decision", "判决")
    asked = convening.open_request(session, SYSTEM, VILLAGE_A, "residents", TITLE + "R", on=date(2026, 2, 1))
    reached = convening.open_request(session, SYSTEM, VILLAGE_A, "residents", TITLE + "R2", on=date(2026, 2, 1))
    reached.status = "reached"  # its supporters are test_convening's business
    return {
        "sg_request": asked.id,
        "sg_reached": reached.id,
        "sg_p": p,
        "sg_meeting": m.id,
        "sg_x": x.id,
        "sg_x2": x2.id,
        "sg_x3": x3.id,
        "sg_batch": batch.id,
        "sg_failing": failing.id,
        "sg_matter": matter.id,
        "sg_result": result.id,
        "sg_done": done.id,
        "sg_suspended": held.id,
        "sg_seat": seats[0].id,
    }


def cases(w) -> dict:
    p = w["sg_p"]
    meeting, failing = {"meeting_id": w["sg_meeting"]}, {"meeting_id": w["sg_failing"]}
    batch = {"batch_id": w["sg_batch"]}
    matter, done, held = {"matter_id": w["sg_matter"]}, {"matter_id": w["sg_done"]}, {"matter_id": w["sg_suspended"]}
    joint = {
        "area_code": VILLAGE_A,
        "kind": "joint_meeting",
        "title": "j2",
        "notice_on": "2026-02-02",
        "held_on": "2026-02-05",
    }
    step = {"done_on": "2026-02-06"}
    recount = {"yes": 1, "no": 0, "abstain": 0}
    member = {
        "area_code": VILLAGE_A,
        "body": "villagers_committee",
        "person_id": p[2],
        "post": "member",
        "term_from": "2021-01-01",
    }
    form_meeting = {"kind": "residents_meeting", "title": "m", "notice_on": "2026-03-01", "held_on": "2026-03-20"}
    api = "/api/v1/selfgov"
    return {
        ("GET", f"{api}/areas/{{code}}/members"): Case(path={"code": VILLAGE_A}),
        ("POST", f"{api}/members"): Case(body=member),
        ("POST", f"{api}/members/{{member_id}}/end"): Case(path={"member_id": w["sg_seat"]}, body={"on": "2026-12-01"}),
        ("POST", "/selfgov/members/{member_id}/end"): Case(path={"member_id": w["sg_seat"]}, data={"on": "2026-12-01"}),
        ("POST", f"{api}/meetings"): Case(body={**joint, "matter_id": w["sg_matter"]}),
        ("GET", f"{api}/meetings/{{meeting_id}}"): Case(path=meeting),
        ("POST", f"{api}/meetings/{{meeting_id}}/sign-in"): Case(path=failing, body={"person_ids": [p[0]]}),
        ("POST", f"{api}/meetings/{{meeting_id}}/close"): Case(path=meeting),
        ("POST", f"{api}/meetings/{{meeting_id}}/reschedule"): Case(
            path=failing, body={"notice_on": "2026-03-21", "held_on": "2026-04-01"}
        ),
        ("GET", f"{api}/meetings/{{meeting_id}}/motions"): Case(path=meeting),
        ("POST", f"{api}/meetings/{{meeting_id}}/motions"): Case(path=meeting, body={"title": "m"}),
        ("POST", f"{api}/motions/{{motion_id}}/ballots"): Case(
            path={"motion_id": w["sg_x2"]}, body={"method": "paper", "votes": [{"person_id": p[2], "choice": "no"}]}
        ),
        ("POST", f"{api}/motions/{{motion_id}}/decide"): Case(path={"motion_id": w["sg_x3"]}),
        ("POST", f"{api}/batches/{{batch_id}}/confirm"): Case(path=batch),
        ("POST", f"{api}/batches/{{batch_id}}/recount"): Case(path=batch, body=recount),
        ("GET", f"{api}/matters"): Case(kind="list", hidden=TITLE),
        ("POST", f"{api}/matters"): Case(body={"area_code": VILLAGE_A, "title": "t", "proposed_on": "2026-02-01"}),
        ("GET", f"{api}/matters/{{matter_id}}"): Case(path=matter),
        ("POST", f"{api}/matters/{{matter_id}}/steps/{{step}}"): Case(path={**done, "step": 1}, body=step),
        ("POST", f"{api}/matters/{{matter_id}}/steps/{{step}}/disclose"): Case(
            path={"matter_id": w["sg_result"], "step": 5}, body={"occurred_on": "2026-03-02"}
        ),
        ("POST", f"{api}/matters/{{matter_id}}/suspend"): Case(
            path=matter, body={"kind": "correction_order", "reason": "r"}
        ),
        ("POST", f"{api}/matters/{{matter_id}}/resume"): Case(path=held, body={"note": "n"}),
        ("GET", f"{api}/areas/{{code}}/requests"): Case(path={"code": VILLAGE_A}),
        ("POST", f"{api}/requests"): Case(body={"area_code": VILLAGE_A, "basis": "residents", "title": "t"}),
        ("GET", f"{api}/requests/{{request_id}}"): Case(path={"request_id": w["sg_request"]}),
        ("POST", f"{api}/requests/{{request_id}}/supporters"): Case(
            path={"request_id": w["sg_request"]}, body={"person_ids": [p[2]]}
        ),
        ("POST", f"{api}/requests/{{request_id}}/convened"): Case(
            path={"request_id": w["sg_reached"]}, body={"meeting_id": w["sg_meeting"]}
        ),
        ("POST", "/areas/{code}/selfgov/requests"): Case(
            path={"code": VILLAGE_A}, data={"basis": "residents", "title": "t"}
        ),
        ("GET", "/selfgov/requests/{request_id}"): Case(path={"request_id": w["sg_request"]}),
        ("POST", "/selfgov/requests/{request_id}/supporters"): Case(
            path={"request_id": w["sg_request"]}, data={"numbers": str(p[3])}
        ),
        ("POST", "/selfgov/requests/{request_id}/convened"): Case(
            path={"request_id": w["sg_reached"]}, data={"meeting_id": str(w["sg_meeting"])}
        ),
        ("GET", "/areas/{code}/selfgov"): Case(path={"code": VILLAGE_A}),
        ("POST", "/areas/{code}/selfgov/matters"): Case(
            path={"code": VILLAGE_A}, data={"title": "t", "proposed_on": "2026-02-01"}
        ),
        ("POST", "/areas/{code}/selfgov/meetings"): Case(path={"code": VILLAGE_A}, data=form_meeting),
        ("POST", "/areas/{code}/selfgov/members"): Case(
            path={"code": VILLAGE_A}, data={**member, "person_id": str(p[2])}
        ),
        ("GET", "/selfgov/rules"): Case(kind="self"),
        ("GET", "/selfgov/matters/{matter_id}"): Case(path=matter),
        ("POST", "/selfgov/matters/{matter_id}/meetings"): Case(path=matter, data={**form_meeting, **joint}),
        ("POST", "/selfgov/matters/{matter_id}/steps/{step}"): Case(path={**done, "step": 1}, data=step),
        ("POST", "/selfgov/matters/{matter_id}/steps/{step}/disclose"): Case(
            path={"matter_id": w["sg_result"], "step": 5}, data={"occurred_on": "2026-03-02"}
        ),
        ("POST", "/selfgov/matters/{matter_id}/suspend"): Case(
            path=matter, data={"kind": "court_decision", "reason": "r"}
        ),
        ("POST", "/selfgov/matters/{matter_id}/resume"): Case(path=held, data={"note": "n"}),
        ("GET", "/selfgov/meetings/{meeting_id}"): Case(path=meeting),
        ("GET", "/selfgov/meetings/{meeting_id}/minutes.pdf"): Case(path=meeting),
        ("POST", "/selfgov/meetings/{meeting_id}/sign-in"): Case(
            path=failing, data={"present": str(p[0]), "listed": str(p[0])}
        ),
        ("POST", "/selfgov/meetings/{meeting_id}/close"): Case(path=meeting),
        ("POST", "/selfgov/meetings/{meeting_id}/reschedule"): Case(
            path=failing, data={"notice_on": "2026-03-21", "held_on": "2026-04-01"}
        ),
        ("POST", "/selfgov/meetings/{meeting_id}/motions"): Case(path=meeting, data={"title": "m"}),
        ("POST", "/selfgov/motions/{motion_id}/ballots"): Case(
            path={"motion_id": w["sg_x2"]}, data={"ballots": f"{p[2]} 反对"}
        ),
        ("POST", "/selfgov/motions/{motion_id}/decide"): Case(path={"motion_id": w["sg_x3"]}),
        ("POST", "/selfgov/batches/{batch_id}/confirm"): Case(path=batch),
        ("POST", "/selfgov/batches/{batch_id}/recount"): Case(path=batch, data={"yes": "1", "no": "0", "abstain": "0"}),
    }
