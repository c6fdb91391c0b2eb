"""Demo facilities (marked generated): a service facility in every community of two streets of 南关区 and
in the communities and villages of three townships of 农安县, with generated but real-looking floor areas
(urban communities mostly 500–1,400 m², a few under 500; villages around 280 m²); 华阳社区's in full
(hours, rooms, accessibility), designated a happy-community demonstration site in 2024 and reviewed in
2025; an elderly university branch there with three classes, one of them full, and enrolments (the demo
resident enrolled in one)."""

from __future__ import annotations

import random
from datetime import date, time
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.accounts import repository as accounts_repo
from linli.areas import repository as area_repo
from linli.authz.principal import Principal, principal_for
from linli.facilities import repository, service
from linli.facilities.schemas import BranchIn, ClassIn, EnrolmentIn, FacilityIn, HappyReviewIn, HappySiteIn

HUAYANG = "220102001001"  # 华阳社区, 南关区
STREETS = ("220102001", "220102002")  # 南岭街道, 自强街道
NONGAN = "220122"
MARK = "（演示）"
ROOMS = (("一站式服务大厅", "service_hall", "120"), ("党群活动室", "party", "80"), ("日间照料中心", "elderly", "160"),
         ("儿童之家", "children", "60"), ("阅览室", "library", "45"), ("老年大学教室", "classroom", "90"))  # fmt: skip
NAMES = ("张桂兰", "刘淑珍", "王德福", "李玉梅", "赵国华", "陈秀云", "杨宝山", "周凤琴")
CLASSES = (("书法", "王文学", "每周二 9:00–10:30", 30, 8), ("合唱", "孙丽娟", "每周四 14:00–15:30", 25, 6),
           ("智能手机使用", "李晓东", "每周六 9:30–11:00", 3, 3))  # fmt: skip


def _hours(days: int, opens: time = time(8, 30), closes: time = time(17, 0)) -> list[dict]:
    return [{"weekday": d, "opens": opens, "closes": closes} for d in range(days)]


def _places(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the demo's communities and villages, in code order."""
    out = [(c, n) for s in STREETS for c, n in sorted(area_repo.child_names(session, s).items())]
    towns = sorted(area_repo.child_names(session, NONGAN))
    for town in [t for t in towns if t.startswith("220122001")] + [t for t in towns if t >= "220122100"][:2]:
        out += sorted(area_repo.child_names(session, town).items())
    return out


def _area(rnd: random.Random, kind: str, n: int) -> Decimal:
    if kind == "village":
        return Decimal(rnd.randint(170, 400))
    # One urban community in five under 500 m², two in five over 1,000 m², the rest between.
    low, high = ((1010, 1450), (520, 980), (320, 490), (1010, 1450), (520, 980))[n % 5]
    return Decimal(rnd.randint(low, high))


def _facilities(session: Session, actor: Principal, rnd: random.Random) -> int:
    places = _places(session)
    kinds = repository.kinds_of(session, [c for c, _ in places])
    for n, (code, name) in enumerate(places):
        kind = kinds.get(code, "")
        full = code == HUAYANG
        data = FacilityIn(
            area_code=code, name=f"{name}{'党群服务中心' if kind == 'community' else '综合服务站'}{MARK}",
            floor_area=Decimal(1180) if full else _area(rnd, kind, n), address=f"{name}办公楼一层{MARK}",
            hours=_hours(6 if full else 5), accessibility=["ramp", "accessible_toilet", "handrails", "low_counter"]
            if full else rnd.choice((["ramp"], ["ramp", "accessible_toilet"], [])),
            rooms=[{"name": n, "function": f, "floor_area": a} for n, f, a in (ROOMS if full else ROOMS[:2])],
            note="面积为演示生成的数据" if not full else "演示数据：华阳社区党群服务中心",
        )  # fmt: skip
        service.create_facility(session, actor, data, generated=True)
    return len(places)


def _site(session: Session, actor: Principal) -> None:
    criteria = ["party_building", "services", "facility", "elderly", "governance", "culture"]
    site = service.designate_site(
        session, actor, HappySiteIn(area_code=HUAYANG, year=2024, criteria=criteria, note="演示数据（生成）"),
        generated=True,
    )  # fmt: skip
    service.review_site(session, actor, site.id, HappyReviewIn(year=2025, result="kept", note="演示：复核保留"))


def _university(session: Session, actor: Principal) -> None:
    facility = repository.facilities_of_place(session, HUAYANG)[0]
    data = BranchIn(area_code=HUAYANG, name=f"南关区老年大学华阳社区教学点{MARK}", facility_id=facility.id)
    branch = service.create_branch(session, actor, data, generated=True)
    year = service.today().year
    for course, teacher, schedule, capacity, enrolled in CLASSES:
        data = ClassIn(course=course, teacher=teacher + MARK, term=f"{year}年秋季", starts_on=date(year, 9, 1),
                       ends_on=date(year + 1, 1, 20), schedule=schedule, capacity=capacity)  # fmt: skip
        klass = service.add_class(session, actor, branch.id, data, generated=True)
        for name in NAMES[:enrolled]:
            row = service.enrol_at_desk(session, actor, klass.id, EnrolmentIn(name=name + MARK))
            row.generated = True
        if course == "合唱":
            _resident_enrols(session, klass.id)


def _resident_enrols(session: Session, class_id: int) -> None:
    user = accounts_repo.by_username(session, "resident")
    if user is not None:
        me = principal_for(user.id, user.username, [("resident", HUAYANG)])
        service.enrol_self(session, me, class_id).generated = True


def step(session: Session, actor: Principal, say) -> None:
    """Once: a second run adds nothing."""
    if repository.generated_facilities(session):
        return
    n = _facilities(session, actor, random.Random(18))
    _site(session, actor)
    _university(session, actor)
    session.flush()
    say(f"facilities: {n} service facilities in 南关区 and 农安县, a happy-community site and an elderly "
        "university branch with three classes in 华阳社区 (marked generated)")  # fmt: skip
