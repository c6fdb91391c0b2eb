"""Demo organizations (marked generated): the party-building alliance of 南岭街道 (南关区) with a dozen
member units, their resources, and needs and projects in every state (open, claimed, met and rated or
waiting for the rating, closed, given up, past its end date); units reported to their communities with
service records; pairings with their activities; and a member unit's contact account acting for the
power-supply station."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_code

from linli.accounts import repository as accounts_repo
from linli.accounts import service as accounts
from linli.areas import repository as area_repo
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.pdf import Document, PdfUnavailable
from linli.organizations import repository, service
from linli.organizations.schemas import (
    ActivityIn,
    AllianceIn,
    ClaimIn,
    MemberIn,
    NeedIn,
    OrganizationIn,
    PairingEndIn,
    PairingIn,
    RatingIn,
    ResourceIn,
    ResultIn,
    ServiceRecordIn,
    UnitReportIn,
)
from linli.organizations.schemas.records import AgreementIn, EvaluationIn, MeetingIn, ReviewIn

STREET = "220102001"  # 南岭街道
COMMUNITIES = ("220102001001", "220102001002", "220102001003")
CONTACT = "unitcontact"
# (name, kind, community index or None for the street, role in the alliance, extra fields)
UNITS = (
    ("华阳社区居委会", "residents_committee", 0, "member", {}),
    ("长春市南岭小学", "school", 0, "member", {}),
    ("南关区南岭医院", "hospital", 1, "part_time_member", {}),
    ("南岭派出所", "police_station", None, "part_time_member", {}),
    ("南关区人民法院南岭法庭", "court", None, "member", {}),
    ("国网长春供电公司南岭供电所", "enterprise", 1, "member", {}),
    ("华阳物业服务有限公司", "property_company", 0, "member", {}),
    ("南关区图书馆南岭分馆", "public_institution", 2, "member", {}),
    ("南关区城市管理行政执法局南岭中队", "government_department", None, "member", {}),
    ("华阳社区志愿者协会", "social_organization", 0, "member",
     {"registration": "registered", "social_type": "social_group", "service_field": "elderly", "rating": 4}),
    ("百屹社区老年协会", "social_organization", 2, "member",
     {"registration": "filed", "social_type": "community_based", "service_field": "culture"}),
)  # fmt: skip


def _code(serial: int) -> str:
    base = f"12220102MB{serial:07d}"
    return base + uscc_code.calc_check_digit(base)


def _point(session: Session, code: str, shift: int) -> tuple[float | None, float | None]:
    area = area_repo.find_area(session, code)
    if area is None or area.rep_lon is None:
        return None, None
    return round(area.rep_lon + 0.0012 * (shift % 5), 6), round(area.rep_lat + 0.0009 * (shift % 3), 6)


def _units(session: Session, actor: Principal) -> list:
    lon, lat = _point(session, STREET, 0)
    lead = service.registry.create(
        session, actor,
        OrganizationIn(area_code=STREET, kind="party_committee", name="中共南岭街道工作委员会（演示）",
                       uscc=_code(1), lon=lon, lat=lat, address="南岭街道办事处"),
        generated=True,
    )  # fmt: skip
    out = [lead]
    for i, (name, kind, where, _role, extra) in enumerate(UNITS, start=2):
        area = STREET if where is None else COMMUNITIES[where]
        lon, lat = _point(session, area, i)
        data = OrganizationIn(
            area_code=area, kind=kind, name=f"{name}（演示）", uscc=_code(i), lon=lon, lat=lat,
            contact_name="联络员", contact_phone=f"0431-8{i:03d}{i:04d}", **extra,
        )  # fmt: skip
        out.append(service.registry.create(session, actor, data, generated=True))
    branch = OrganizationIn(
        area_code=COMMUNITIES[0], kind="party_branch", name="华阳社区第一党支部（演示）", parent_id=lead.id
    )
    service.registry.create(session, actor, branch, generated=True)
    return out


def _alliance(session: Session, actor: Principal, units: list):
    lead, members = units[0], units[1:]
    data = AllianceIn(area_code=STREET, name="南岭街道“红色联盟”党建联盟（演示）", lead_org_id=lead.id,
                      signed_on=date(date.today().year, 1, 8), ends_on=date(date.today().year + 2, 12, 31))  # fmt: skip
    a = service.alliances.create(session, actor, data, generated=True)
    for org, (_n, _k, _w, role, _e) in zip(members, UNITS, strict=True):
        service.alliances.add_member(session, actor, a.id, MemberIn(organization_id=org.id, role=role))
    return a


RESOURCES = (  # (unit index in UNITS + 1, type, title, capacity, availability)
    (10, "elderly", "志愿者为独居老人上门送餐", 20, "每天中午"),
    (3, "medical", "家庭医生上门巡诊", 30, "每周三下午"),
    (6, "safety", "老旧小区线路安全检查", 15, "工作日"),
    (5, "legal", "法官进社区法律咨询", 10, "每月第一个周五"),
    (8, "culture", "少儿周末阅读课堂", 40, "周六上午"),
    (2, "children", "放学后课后托管", 25, "工作日 16:00-18:00"),
    (7, "environment", "楼道杂物清理", 10, "随叫随到"),
)
NEEDS = (  # (community index, category, raised by, title)
    (0, "elderly", "grid", "独居老人午餐无人照料"),
    (1, "medical", "resident", "行动不便老人需要上门看病"),
    (2, "safety", "community", "老旧楼道电线老化"),
    (0, "legal", "resident", "邻里噪音纠纷需要法律意见"),
    (2, "culture", "community", "社区孩子周末缺少活动"),
    (1, "children", "resident", "双职工家庭孩子放学无人接"),
    (0, "environment", "grid", "楼道堆放杂物影响消防通道"),
    (1, "elderly", "community", "高龄老人助浴"),
)


def _lists(session: Session, actor: Principal, a, units: list) -> dict[str, int]:
    res = [
        service.lists.offer_resource(
            session, actor, a.id,
            ResourceIn(organization_id=units[u].id, resource_type=t, title=title, capacity=c, availability=av),
            generated=True,
        )
        for u, t, title, c, av in RESOURCES
    ]  # fmt: skip
    needs = []
    for i, (c, cat, by, title) in enumerate(NEEDS):
        lon, lat = _point(session, COMMUNITIES[c], i + 7)
        data = NeedIn(area_code=COMMUNITIES[c], title=f"{title}（演示）", category=cat, raised_by=by, lon=lon, lat=lat)
        needs.append(service.lists.record_need(session, actor, data, generated=True))
    today = date.today()

    def claim(n, r, start, days):
        return service.lists.claim(session, actor, needs[n].id, ClaimIn(resource_id=res[r].id, starts_on=start,
                                   ends_on=start + timedelta(days=days)), generated=True)  # fmt: skip

    rated = claim(0, 0, today - timedelta(days=40), 30)
    service.lists.record_result(
        session, actor, rated.id, ResultIn(result="每日为 12 位独居老人送餐", done_on=today - timedelta(days=12))
    )
    service.lists.rate(session, actor, rated.id, RatingIn(rating=5))
    done = claim(1, 1, today - timedelta(days=20), 14)
    service.lists.record_result(
        session, actor, done.id, ResultIn(result="巡诊 9 户，建立健康档案", done_on=today - timedelta(days=3))
    )
    claim(2, 2, today - timedelta(days=5), 20)  # under way
    claim(3, 3, today - timedelta(days=30), 10)  # under way, past its end date
    dropped = claim(4, 4, today - timedelta(days=15), 10)
    service.lists.drop_project(session, actor, dropped.id)  # given up: the need is open again
    service.lists.close_need(session, actor, needs[7].id)  # closed without a claim
    service.lists.withdraw_resource(session, actor, res[6].id)
    return {"resources": len(res), "needs": len(needs)}


def _reporting(session: Session, actor: Principal, units: list) -> None:
    today = date.today()
    for org in units[1:]:
        code = codes.unpad(org.area_code)
        if len(code) != 12:
            continue
        service.reporting.report_unit(
            session, actor, org.id, UnitReportIn(area_code=code, reported_on=date(today.year, 1, 15))
        )
        service.reporting.log_service(
            session, actor,
            ServiceRecordIn(organization_id=org.id, served_on=today - timedelta(days=org.id % 20 + 1), hours=2.5,
                            content="参加社区环境整治志愿服务（演示）", rating=4 + org.id % 2),
            generated=True,
        )  # fmt: skip


def _pairings(session: Session, actor: Principal, units: list) -> int:
    """Two units paired many-to-one with 百屹社区, one one-to-one with 恒安社区; an activity each, one ended."""
    today = date.today()
    made = [
        service.pairings.create(session, actor, PairingIn(organization_id=units[i].id, area_code=COMMUNITIES[c],
                                kind=kind, started_on=today - timedelta(days=120)), generated=True)
        for i, c, kind in ((3, 2, "many_to_one"), (9, 2, "many_to_one"), (6, 1, "one_to_one"), (2, 0, "many_to_one"))
    ]  # fmt: skip
    for p, title in zip(made, ("义诊进社区", "法治讲座", "安全用电宣传", "四点半课堂"), strict=True):
        data = ActivityIn(held_on=today - timedelta(days=10 + p.id % 7), title=f"{title}（演示）", participants=20)
        service.pairings.log_activity(session, actor, p.id, data, generated=True)
    service.pairings.end(session, actor, made[3].id, PairingEndIn(ended_on=today - timedelta(days=1)))
    return len(made)


def _contact(session: Session, actor: Principal, org) -> str | None:
    """The demo contact account of the power-supply station; its password, when it was created now."""
    if accounts_repo.by_username(session, CONTACT) is not None:
        return None
    user, password = accounts.create_user(session, actor, CONTACT, "供电所联络员（演示）", STREET)
    accounts.grant_role(session, actor, user.id, "org_contact", STREET)
    service.registry.add_contact(session, actor, org.id, CONTACT)
    return password


def _agreement_pdf(name: str, start: date, end: date) -> io.BytesIO | None:
    """The demo agreement's file: a one-page PDF saying it is generated (none without a Chinese font)."""
    try:
        doc = Document("党建联盟共建协议（演示，系统生成）", subtitle=name)
    except PdfUnavailable:
        return None
    doc.facts([("期限", f"{start} 至 {end}"), ("说明", "演示数据，由系统生成，非真实协议。")])
    return io.BytesIO(doc.output())


def _records(session: Session, actor: Principal, say) -> None:
    """The demo alliance's agreement (with its file), a meeting, last year's review, and one community's
    evaluation of the power-supply station (its contact is told), once; all marked generated."""
    alliance = repository.generated_alliance(session)
    if alliance is None or repository.agreements_of(session, alliance.id):
        return
    today = date.today()
    start, end = date(today.year, 1, 1), date(today.year + 2, 12, 31)
    fh = _agreement_pdf(alliance.name, start, end)
    service.records.add_agreement(
        session, actor, alliance.id, AgreementIn(title="南岭街道党建联盟共建协议（演示）", signed_on=start,
                                                 starts_on=start, ends_on=end),
        fh, "南岭街道党建联盟共建协议.pdf" if fh else "", generated=True,
    )  # fmt: skip
    service.records.add_meeting(
        session, actor, alliance.id, MeetingIn(held_on=today - timedelta(days=20), title="联盟第四季度联席会议（演示）",
                                               attendees=14, minutes="通报三张清单进展，议定冬季助老项目分工。"),
        generated=True,
    )  # fmt: skip
    last_year = ReviewIn(year=today.year - 1, grade="good", summary="全年完成共建项目九个（演示）")
    service.records.review(session, actor, alliance.id, last_year, generated=True)
    station = repository.org_named(session, f"{UNITS[5][0]}（演示）")
    reports = repository.unit_reports_of(session, station.id) if station else []
    if station and reports:
        body = EvaluationIn(area_code=codes.unpad(reports[0].area_code), year=today.year - 1, grade="excellent",
                            comment="双报到服务积极，安全用电宣传进社区四次（演示）")  # fmt: skip
        service.records.evaluate(session, actor, station.id, body, generated=True)
    say("filed the demo alliance's agreement, a meeting, last year's review and one unit's evaluation (generated)")


def step(session: Session, actor: Principal, say) -> None:
    """The 南岭街道 alliance with its member units and three lists, once (a second run adds nothing); then its
    records (agreement, meeting, review, an evaluation), once."""
    if not repository.generated_alliances(session):
        _alliance_step(session, actor, say)
    _records(session, actor, say)


def _alliance_step(session: Session, actor: Principal, say) -> None:
    if area_repo.find_area(session, STREET) is None:
        say(f"organizations: area {STREET} is missing; no demo alliance")
        return
    units = _units(session, actor)
    a = _alliance(session, actor, units)
    made = _lists(session, actor, a, units)
    _reporting(session, actor, units)
    pairs = _pairings(session, actor, units)
    password = _contact(session, actor, units[6])
    say(
        f"founded the demo alliance of 南岭街道 with {len(units)} units, {made['resources']} resources and "
        f"{made['needs']} needs in every state, {pairs} pairings (marked generated)"
    )
    if password:
        say(f"member unit contact account: {CONTACT} / {password} (acts for {units[6].name})")
