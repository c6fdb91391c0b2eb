"""Demo safety units (marked generated) in 南岭街道 (南关区): a community police officer in the two
committees and a legal adviser for each demo community, judges of 南岭法庭 in two demo grids, mediation
cases linked to demo dispute events (agreement, failed, referred, and one still open) and two
legal-service sessions."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.principal import Principal
from linli.organizations import repository as org_repo
from linli.safety import repository, service
from linli.safety.models import Appointment
from linli.safety.schemas import AppointmentIn, CaseCloseIn, CaseIn, SessionIn

STREET = "220102001"  # 南岭街道
COMMUNITIES = ("220102001001", "220102001002", "220102001003")
GRIDS = ("220102001001001", "220102001002001")
POLICE = ("王建军", "李卫东", "赵立新")
ADVISERS = ("陈明远", "刘雅琴", "孙浩")
JUDGES = ("周正", "吴晓梅")
# The parties of a demo case, by the dispute's subcategory (linli.events.seed), in words without ID numbers.
PARTIES = {
    "0601": "相邻两户住户（张某、李某），因噪声和楼道堆物",
    "0602": "某装修公司与三名务工人员，因拖欠工资",
    "0603": "王某夫妇与其子女，因赡养老人分担",
}
OUTCOMES = ("agreement", "failed", "referred", None)


def _unit(session: Session, actor: Principal, kind: str) -> int | None:
    """The demo unit of this kind on the street (organizations' demo), when it is there."""
    found, _ = org_repo.orgs_in(session, actor.scope(), area_code=STREET, kind=kind, status="active", limit=1)
    return found[0].id if found else None


def _appointments(session: Session, actor: Principal, start: date) -> list:
    police, court = _unit(session, actor, "police_station"), _unit(session, actor, "court")
    made = []
    for i, community in enumerate(COMMUNITIES):
        made.append(service.appoint(session, actor, AppointmentIn(
            area_code=community, duty="police", name=POLICE[i], organization_id=police,
            unit_name="" if police else "南岭派出所", phone=f"1384310{i:04d}", duty_phone=f"0431889{i:05d}",
            hours="每周二、四 9:00–11:30 在社区警务室", starts_on=start), generated=True))  # fmt: skip
        made.append(service.appoint(session, actor, AppointmentIn(
            area_code=community, duty="legal_adviser", name=ADVISERS[i], unit_name="吉林南岭律师事务所（演示）",
            phone=f"1394310{i:04d}", duty_phone=f"0431887{i:05d}", hours="每月第一个周六 9:00–12:00 法律咨询",
            starts_on=start), generated=True))  # fmt: skip
    for i, grid in enumerate(GRIDS):
        if area_repo.find_area(session, grid) is None:
            continue
        made.append(service.appoint(session, actor, AppointmentIn(
            area_code=grid, duty="judge", name=JUDGES[i], organization_id=court, unit_name="" if court else "南岭法庭",
            phone=f"1374310{i:04d}", duty_phone=f"0431886{i:05d}", hours="每月第三个周三 14:00–16:00",
            starts_on=start), generated=True))  # fmt: skip
    return made


def _cases(session: Session, actor: Principal, police: dict[str, Appointment]) -> int:
    """A case for each of the first dispute events of the street, mediated by its community's police officer
    (in the community's mediation committee) where the demo appointed one."""
    events = repository.dispute_events(session, actor.scope(), STREET, limit=len(OUTCOMES))
    today = date.today()
    for event, outcome in zip(events, OUTCOMES, strict=False):
        officer = police.get(event.area_code[:12])
        c = service.open_case(session, actor, CaseIn(
            event_id=event.id, title=f"{event.title}（调解）", parties=PARTIES.get(event.category_code, "双方当事人"),
            mediator=f"人民调解委员会 {officer.name}" if officer else "街道人民调解委员会",
            appointment_id=officer.id if officer else None, opened_on=today - timedelta(days=20)),
            generated=True)  # fmt: skip
        if outcome:
            summary = {"agreement": "双方签订调解协议书", "failed": "一方拒绝调解，告知诉讼途径",
                       "referred": "移交有关部门处理"}[outcome]  # fmt: skip
            service.close_case(session, actor, c.id, CaseCloseIn(outcome=outcome, closed_on=today - timedelta(days=5),
                                                                  summary=summary))  # fmt: skip
    return len(events)


def step(session: Session, actor: Principal, say) -> None:
    """Once: a second run adds nothing."""
    if repository.generated_appointments(session):
        return
    if area_repo.find_area(session, COMMUNITIES[0]) is None:
        say(f"safety: area {COMMUNITIES[0]} is missing; no demo appointments")
        return
    start = date.today() - timedelta(days=180)
    made = _appointments(session, actor, start)
    police = {a.area_code[:12]: a for a in made if a.duty == "police"}
    cases = _cases(session, actor, police)
    for i, (topic, place) in enumerate((("民法典进社区：婚姻家庭编", "华阳社区党群服务中心"),
                                        ("防范电信网络诈骗", "南岭街道市民学校"))):  # fmt: skip
        service.record_session(session, actor, SessionIn(
            area_code=COMMUNITIES[i], held_on=date.today() - timedelta(days=7 + i * 14), place=place, topic=topic,
            attendance=35 + i * 12), generated=True)  # fmt: skip
    say(
        f"appointed {len(made)} demo police, judges and legal advisers in 南岭街道; {cases} mediation cases (generated)"
    )
