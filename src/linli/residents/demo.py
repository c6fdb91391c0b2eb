"""Generated demo residents for the demo grids: plausible households, valid ID numbers, a county's age pyramid.

Everything written here is marked `generated` (buildings, households, persons). The numbers are
deterministic per county, valid GB 11643 numbers with the county's region code, but belong to no one.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import crypto
from linli.kit.errors import Conflict
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.residents import pii
from linli.residents import repository as repo
from linli.residents.idcard import make_id
from linli.residents.models import Building, Household, Person, PersonTag, ResidentEvent
from linli.residents.service import W

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳峰建国志东海成文庆福"
GIVEN_F = "芳娜敏静丽艳娟霞秀英慧玲梅琳燕红雪莉兰萍婷颖倩琴云洁晶欣玉凤桂春月"
ETHNIC = (("汉族", 0.90), ("满族", 0.05), ("朝鲜族", 0.03), ("回族", 0.01), ("蒙古族", 0.01))
STREETS = ("幸福", "人民", "解放", "和平", "光明", "建设", "民主", "新华", "长春", "繁荣", "东风", "红旗")


def _name(rng: random.Random, surname: str, male: bool) -> str:
    pool = GIVEN_M if male else GIVEN_F
    return surname + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2))))


def _birth(rng: random.Random, age: int, today: date) -> date:
    return today - timedelta(days=age * 365 + rng.randrange(365))


class _People:
    """Builds person rows with valid, unique ID numbers of the county."""

    def __init__(self, rng: random.Random, region: str, today: date, ring: crypto.Keyring):
        self.rng, self.region, self.today, self.ring = rng, region, today, ring
        self.used: set[str] = set()

    def make(self, name: str, male: bool, age: int, relation: str, grid: str, *, phone: bool) -> dict:
        born = _birth(self.rng, max(age, 0), self.today)
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            idn = make_id(self.region, born, seq)
            if idn not in self.used:
                self.used.add(idn)
                break
        phone_no = f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}" if phone else None
        r = self.rng.random()
        ethnicity = next(e for e, p in _cumulative(ETHNIC) if r < p)
        return {
            "area_code": grid,
            "relation": relation,
            "name": name,
            "gender": "male" if male else "female",
            "birth_date": born,
            "ethnicity": ethnicity,
            "id_number_enc": self.ring.encrypt(idn, pii.ID_CONTEXT),
            "id_number_bidx": self.ring.blind_index(idn, pii.ID_CONTEXT),
            "phone_enc": self.ring.encrypt(phone_no, pii.PHONE_CONTEXT) if phone_no else None,
            "phone_bidx": self.ring.blind_index(phone_no, pii.PHONE_CONTEXT) if phone_no else None,
            "status": "present",
            "party_member": age >= 20 and self.rng.random() < 0.07,
            "generated": True,
        }


def _cumulative(pairs):
    total = 0.0
    for v, p in pairs:
        total += p
        yield v, total


def _household(rng: random.Random, people: _People, grid: str, rural: bool) -> list[tuple[dict, list[str]]]:
    """One household's members (head first) with their tags, shaped like a county's households."""
    surname = rng.choice(SURNAMES)
    # Heads' ages follow the adult part of an ageing county's pyramid.
    head_age = int(rng.triangular(24, 90, 52))
    male = rng.random() < 0.7
    adult = lambda age: age >= 18  # noqa: E731
    members: list[tuple[dict, list[str]]] = []
    alone = head_age >= 65 and rng.random() < 0.18
    head = people.make(_name(rng, surname, male), male, head_age, "head", grid, phone=True)
    tags = []
    if alone:
        tags.append("elderly_alone")
    if head_age >= 40 and male and rng.random() < 0.05:
        tags.append("veteran")
    members.append((head, tags))
    if alone:
        return members
    if rng.random() < 0.85:
        spouse_age = max(20, head_age + rng.randint(-4, 3))
        members.append((people.make(_name(rng, rng.choice(SURNAMES), not male), not male, spouse_age, "spouse", grid,
                                    phone=rng.random() < 0.8), []))  # fmt: skip
    if 24 <= head_age <= 62:
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3) if rural else (0, 1, 1, 1, 2))):
            age = head_age - rng.randint(22, 35)
            if age < 0:
                continue
            child_male = rng.random() < 0.52
            child_tags = ["left_behind_child"] if rural and age < 16 and rng.random() < 0.12 else []
            members.append((people.make(_name(rng, surname, child_male), child_male, age, "child", grid,
                                        phone=adult(age) and rng.random() < 0.7), child_tags))  # fmt: skip
    if 35 <= head_age <= 60 and rng.random() < 0.2:
        members.append((people.make(_name(rng, surname, False), False, head_age + rng.randint(24, 32), "parent", grid,
                                    phone=False), []))  # fmt: skip
    if head_age <= 40 and rng.random() < 0.15:  # a young couple's baby
        baby_male = rng.random() < 0.52
        members.append((people.make(_name(rng, surname, baby_male), baby_male, rng.randint(0, 4), "child", grid,
                                    phone=False), []))  # fmt: skip
    poor = rng.random()
    if poor < 0.04:
        members[0][1].append("subsistence")
    elif poor < 0.045:
        members[0][1].append("extremely_poor")
    for _, person_tags in members:
        if rng.random() < 0.025:
            person_tags.append("disabled")
        if rng.random() < 0.01:
            person_tags.append("key_care")
    return members


def has_residents(session: Session, county_code: str) -> bool:
    return repo.has_residents(session, county_code)


def generate_county_residents(
    session: Session, actor: Principal, county_code: str, *, persons: int = 1500, busy_grid: str | None = None
) -> int:
    """About `persons` generated residents over the live grids of a county that has none yet; returns how many.

    `busy_grid` (the demo grid worker's) gets forty households so its lists look like a real grid's.
    """
    actor.check(W, county_code, what=t("county {county_code}", county_code=county_code))
    if has_residents(session, county_code):
        raise Conflict(
            t(
                "county {county_code} already has residents; demo residents are only generated once",
                county_code=county_code,
            )
        )
    grids = repo.live_grid_codes_under(session, county_code)
    if not grids:
        return 0
    rng = random.Random(f"linli-demo-{county_code}")
    today, now, ring = date.today(), utcnow(), crypto.keyring()
    rural = county_code.endswith(("22", "23", "24", "81", "82", "83"))  # 县 and county-level cities
    people = _People(rng, county_code, today, ring)
    per_grid = _households_per_grid(rng, grids, max(1, persons // 3), busy_grid)
    world = _Demo(session, actor, rng, people, rural, today, now)
    total = sum(world.grid(grid, n) for grid, n in per_grid.items() if n)
    session.flush()
    record(
        session, actor, "residents.demo", "area", county_code, county_code, after={"persons": total, "generated": True}
    )
    return total


def _households_per_grid(
    rng: random.Random, grids: list[str], budget_households: int, busy_grid: str | None
) -> dict[str, int]:
    """How many households each grid gets: forty in the busy grid, the rest spread over a sample of grids."""
    per_grid = {g: 0 for g in grids}
    if busy_grid in per_grid:
        per_grid[busy_grid] = 40
    chosen = rng.sample(grids, k=min(len(grids), budget_households)) if len(grids) > budget_households else grids
    remaining = budget_households - sum(per_grid.values())
    for i in range(max(remaining, 0)):
        per_grid[chosen[i % len(chosen)]] += 1
    return per_grid


class _Demo:
    """Writes one grid's generated buildings, households, persons, tags and history at a time."""

    def __init__(self, session: Session, actor: Principal, rng, people: _People, rural: bool, today: date, now):
        self.session, self.actor, self.rng, self.people = session, actor, rng, people
        self.rural, self.today, self.now = rural, today, now

    def grid(self, grid: str, n_households: int) -> int:
        """The grid's buildings and `n_households` households in them; returns how many persons."""
        rng, rural, now = self.rng, self.rural, self.now
        street = rng.choice(STREETS)
        kind = "house" if rural else "compound"
        building_rows = [
            {"area_code": grid, "name": f"{street}{'屯' if rural else '小区'}{b + 1}号{'院' if rural else '楼'}",
             "address": f"{street}路{rng.randint(1, 300)}号", "kind": kind, "units": None if rural else 4,
             "floors": None if rural else rng.choice((6, 7, 11, 18)), "generated": True, "created_at": now,
             "updated_at": now}
            for b in range(max(1, n_households // 12))
        ]  # fmt: skip
        bids = list(
            self.session.execute(
                insert(Building).returning(Building.id, sort_by_parameter_order=True), building_rows
            ).scalars()
        )
        total = 0
        for h in range(n_households):
            bi = h % len(bids)
            total += self.household(grid, bids[bi], building_rows[bi]["address"])
        return total

    def household(self, grid: str, building_id: int, street_address: str) -> int:
        """One household in the building, its members, their tags and history; returns how many members."""
        session, rng, rural, today, now = self.session, self.rng, self.rural, self.today, self.now
        unit, room = ("", "") if rural else (str(rng.randint(1, 4)), f"{rng.randint(1, 18)}0{rng.randint(1, 4)}")
        household = Household(
            area_code=grid, building_id=building_id, unit=unit, room=room,
            address=street_address + (f"{unit}单元{room}室" if unit else ""),
            register_type=rng.choices(("local", "resident", "floating"), (0.75, 0.15, 0.10))[0],
            status="active", generated=True,
        )  # fmt: skip
        session.add(household)
        session.flush()
        members = _household(rng, self.people, grid, rural)
        rows = [{**m, "household_id": household.id, "created_at": now, "updated_at": now} for m, _ in members]
        pids = list(session.execute(insert(Person).returning(Person.id, sort_by_parameter_order=True), rows).scalars())
        household.head_person_id = pids[0]
        tag_rows = [
            {"person_id": pid, "area_code": grid, "tag": t, "start_on": today - timedelta(days=rng.randrange(2000)),
             "note": ""}
            for pid, (_, tags) in zip(pids, members, strict=True) for t in tags
        ]  # fmt: skip
        if tag_rows:
            session.execute(insert(PersonTag), tag_rows)
        session.execute(
            insert(ResidentEvent),
            [{"person_id": pid, "household_id": household.id, "kind": "registered", "on": today, "at": now,
              "area_code": grid, "actor": self.actor.audit_name, "details": '{"via": "demo"}'} for pid in pids],
        )  # fmt: skip
        return len(pids)


def step(session: Session, actor: Principal, say) -> None:
    """Generated households and residents in the demo counties (where there are none yet)."""
    from linli.areas.demo import DEMO_COUNTIES, DEMO_GRID

    for code in DEMO_COUNTIES:
        if not has_residents(session, code):
            n = generate_county_residents(session, actor, code, busy_grid=DEMO_GRID)
            say(f"generated {n} demo residents in {session.get(Area, code).name} ({code})")
