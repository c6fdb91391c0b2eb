"""Demo social work (marked generated): 农安县's social work centre, the station of 农安镇 with staff
(one of them from the workforce register, one the demo account `nongan_socialworker`), its services,
two village rooms, a few weeks of service records and three cases (opened, planned, closed), some for
generated residents of the register. Names and figures are generated, not real ones."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.accounts import repository as accounts_repo
from linli.accounts import service as accounts_service
from linli.areas import repository as area_repo
from linli.authz.principal import Principal, principal_for
from linli.socialwork import repository, service
from linli.socialwork.schemas import CaseIn, EntryIn, RecordIn, ServiceIn, StaffIn, StationIn
from linli.workforce import repository as workforce_repo

COUNTY = "220122"  # 农安县
TOWN = "220122100"  # 农安镇
ACCOUNT = "nongan_socialworker"  # a demo account (linli.accounts.demo.ACCOUNTS) on the station's staff
MARK = "（演示）"
SERVICES = ("assistance", "elderly", "children", "community_governance")
STAFF = (("站长", "social_worker"), ("社工", "assistant"), ("社工", "none"), ("社工", "assistant"))
NAMES = ("王秀兰", "李建华", "张玉梅", "刘志刚", "陈海燕", "杨立新", "赵春梅", "孙晓东")
RECORDS = (
    ("elderly", "2.0", 6, "走访独居老人，测量血压，登记需求"),
    ("children", "3.0", 12, "留守儿童课后陪伴与作业辅导"),
    ("assistance", "1.5", 2, "低保家庭入户核查，讲解临时救助政策"),
    ("community_governance", "4.0", 25, "协助村委会召开议事会，记录居民意见"),
    ("elderly", "2.5", 8, "组织老年人健康讲座"),
    ("children", "2.0", 5, "困境儿童家庭探访"),
)


def _account(session: Session, actor: Principal) -> int:
    user = accounts_repo.by_username(session, ACCOUNT)
    if user is None:
        user, _ = accounts_service.create_user(session, actor, ACCOUNT, "农安镇社工站社工（演示）", TOWN)
        accounts_service.grant_role(session, actor, user.id, "community_worker", TOWN)
    return user.id


def _stations(session: Session, actor: Principal):
    centre = service.stations.register_station(
        session, actor, StationIn(area_code=COUNTY, name="农安县社会工作服务中心" + MARK, address="农安县民政局院内",
                                  opened_on=date(2022, 6, 1)), generated=True,
    )  # fmt: skip
    station = service.stations.register_station(
        session, actor, StationIn(area_code=TOWN, name="农安镇社会工作服务站" + MARK, address="农安镇人民政府一楼",
                                  opened_on=date(2023, 3, 1)), generated=True,
    )  # fmt: skip
    villages = sorted(area_repo.child_names(session, TOWN).items())[:2]
    for code, name in villages:
        service.stations.register_station(
            session, actor, StationIn(area_code=code, name=f"{name}社工室{MARK}", parent_id=station.id,
                                      opened_on=date(2024, 5, 1)), generated=True,
        )  # fmt: skip
    return centre, station


def _staff(session: Session, actor: Principal, centre, station) -> list:
    service.stations.add_staff(session, actor, centre.id, StaffIn(name=NAMES[6] + MARK, title="主任",
                               qualification="senior", qualified_on=date(2019, 11, 2)), generated=True)  # fmt: skip
    made = []
    for n, (title, qualification) in enumerate(STAFF):
        data = StaffIn(name=NAMES[n] + MARK, title=title, qualification=qualification,
                       qualified_on=date(2021 + n % 3, 6, 20) if qualification != "none" else None,
                       username=ACCOUNT if n == 1 else None)  # fmt: skip
        made.append(service.stations.add_staff(session, actor, station.id, data, generated=True))
    workers, _ = workforce_repo.list_workers(session, actor.scope(), COUNTY, 0, 1)
    if workers:  # a community worker of the register who also serves at the station
        made.append(service.stations.add_staff(session, actor, station.id, StaffIn(title="兼职社工",
                    worker_id=workers[0].id), generated=True))  # fmt: skip
    return made


def _work(session: Session, actor: Principal, station, staff: list, user_id: int) -> int:
    worker = principal_for(user_id, ACCOUNT, [("community_worker", TOWN)])
    persons = repository.first_present_persons(session, TOWN, 3)
    today = date.today()
    for n, (kind, hours, people, content) in enumerate(RECORDS * 2):
        data = RecordIn(served_on=today - timedelta(days=3 + 4 * n), kind=kind, hours=Decimal(hours),
                        beneficiaries=people, content=content + MARK,
                        person_id=persons[n % len(persons)] if persons and n % 3 == 0 else None)  # fmt: skip
        service.records.log(session, worker, station.id, data, generated=True)
    cases = []
    for n, kind in enumerate(("elderly", "children", "assistance")):
        client = {"person_id": persons[n]} if len(persons) > n else {"client": f"{NAMES[n + 3][0]}某{MARK}"}
        data = CaseIn(kind=kind, worker_id=staff[n].id, summary="（演示）独居、行动不便，子女在外地务工，需要日常照料",
                      opened_on=today - timedelta(days=60 - 10 * n), **client)  # fmt: skip
        cases.append(service.cases.open_case(session, worker, station.id, data, generated=True))
    steps = (
        ("assessed", "（演示）评估：生活基本自理，社会支持薄弱"),
        ("planned", "（演示）计划：每周探访一次，链接助餐服务"),
    )
    for case in cases[1:]:
        for k, (step, text) in enumerate(steps):
            service.cases.add_entry(
                session, worker, case.id, EntryIn(step=step, on=case.opened_on + timedelta(days=5 + k), text=text)
            )
    service.cases.add_entry(session, worker, cases[2].id, EntryIn(step="closed", on=today - timedelta(days=1),
                            text="（演示）目标达成，转介村委会持续关注，结案"))  # fmt: skip
    return len(cases)


def step(session: Session, actor: Principal, say) -> None:
    """Once: a second run adds nothing."""
    if repository.generated_stations(session):
        return
    user_id = _account(session, actor)
    centre, station = _stations(session, actor)
    for kind in SERVICES:
        service.stations.add_service(session, actor, station.id, ServiceIn(kind=kind))
    staff = _staff(session, actor, centre, station)
    cases = _work(session, actor, station, staff, user_id)
    session.flush()
    say(f"socialwork: 农安县 centre, 农安镇 station with {len(staff)} staff, 2 rooms, {len(RECORDS) * 2} service "
        f"records and {cases} cases (marked generated)")  # fmt: skip
