"""Every route that takes an ID number answers a number registered out of the caller's reach exactly like a
free one, names nothing of it, and audits the lookup (issue 12, finding 3; DESIGN.md 5.12).

The routes come from the app: a JSON body model with a field `id_number` (nested too), a form or query
field `id_number`, an endpoint that reads a field "id_number" from the raw form, or one that runs the
residents importer. Each needs its identity cases in tests/scope_cases/identity.py, so a new route that
takes an ID number cannot come in without being checked here.
"""

from __future__ import annotations

import inspect
import re
import typing
from datetime import date

import pytest
from fastapi import params as fastapi_params
from pydantic import BaseModel
from sqlalchemy import func, select

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.audit.models import AuditEntry
from linli.authz.deps import iter_routes
from linli.residents.idcard import make_id, mask_id
from tests.factories import SYSTEM, VILLAGE_A, Statements, auth, inside_point, make_user, square, token_for
from tests.factories_residents import GRID_B, SIBLING_GRID, make_household, make_person
from tests.scope_cases import call, identity

BORN = date(1985, 6, 1)
# Same region, birth date and gender: a free number and a registered one differ only in the sequence.
FREE, TAKEN_NEAR, TAKEN_FAR = (make_id("220102", BORN, n) for n in (201, 203, 205))
# Routes that read a register file (the importer looks every row's number up).
IMPORTERS = {("POST", "/api/v1/residents/import"), ("POST", "/residents/import")}
# Routes this test must find, whatever else it finds (a guard on the finder itself).
KNOWN = {
    ("POST", "/api/v1/persons"),
    ("PATCH", "/api/v1/persons/{person_id}"),
    ("POST", "/api/v1/persons/search"),
    ("POST", "/households/{household_id}/persons/new"),
    ("POST", "/persons/{person_id}/edit"),
    *IMPORTERS,
}


def _model_takes_id_number(annotation, seen: set) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        seen.add(annotation)
        return any(
            name == "id_number" or f.alias == "id_number" or _model_takes_id_number(f.annotation, seen)
            for name, f in annotation.model_fields.items()
        )
    return any(_model_takes_id_number(a, seen) for a in typing.get_args(annotation))


def identity_inputs(route) -> list[str]:
    """How a route takes an ID number (empty: it does not)."""
    found: list[str] = []
    register_route = route.endpoint.__module__.startswith("linli.residents")

    def walk(dep):
        for f in [*dep.body_params, *dep.query_params]:
            if "id_number" in (f.name, f.alias):
                found.append(f"field {f.name}")
            elif _model_takes_id_number(f.field_info.annotation, set()):
                found.append(f"body {f.field_info.annotation}")
            elif isinstance(f.field_info, fastapi_params.File) and register_route:
                found.append(f"file {f.name}")  # a file sent to the register: rows with numbers
        for sub in dep.dependencies:
            walk(sub)

    walk(route.dependant)
    source = inspect.getsource(route.endpoint)
    if re.search(r"""["']id_number["']""", source):
        found.append("a form field id_number read by the endpoint")
    if re.search(r"import_register|importer\.", source):
        found.append("a register file")
    return found


def identity_routes(app) -> dict[tuple[str, str], list[str]]:
    return {
        (m, r.path): how for r in iter_routes(app.routes) if (how := identity_inputs(r)) for m in r.methods - {"HEAD"}
    }


def test_every_route_taking_an_id_number_has_identity_cases(app):
    routes, known = identity_routes(app), set(identity.identity_cases())
    assert set(routes) >= KNOWN, f"the finder missed: {sorted(KNOWN - set(routes))}"
    assert set(routes) >= IMPORTERS
    missing = {k: v for k, v in routes.items() if k not in known}
    assert not missing, f"routes taking an ID number without a case in tests/scope_cases/identity.py: {missing}"
    assert known <= set(routes), f"identity cases of routes that take no ID number: {sorted(known - set(routes))}"
    # Linking an account checks the identity card at the counter: the routes take a user name, no number.
    assert not {k for k in routes if k[1].endswith("/account")}


class _Member(BaseModel):
    id_number: str


class _Family(BaseModel):
    members: list[_Member] | None = None


def test_the_finder_sees_a_new_route_taking_an_id_number(fresh_app):
    """A route added tomorrow, with the number nested in its body or as a form field, is found (and so
    fails the test above until it has its cases)."""
    from fastapi import APIRouter, Form

    router = APIRouter()

    @router.post("/api/v1/families")
    def families(body: _Family): ...

    @router.post("/families/new")
    def family_page(id_number: str = Form("")): ...

    @router.post("/families/find")
    def family_search(name: str = Form("")): ...

    fresh_app.include_router(router)
    found = identity_routes(fresh_app)
    assert ("POST", "/api/v1/families") in found and ("POST", "/families/new") in found
    assert ("POST", "/families/find") not in found


def test_the_leak_finder_sees_the_old_answer():
    class Answer:
        text = "row 2: already registered in another household (household 501)"
        headers: dict = {}

    assert leaks(Answer, ["王远"], [(501, "household")]) == ["household 501"]
    assert leaks(Answer, ["王远"], [(50, "household"), (501, "person")]) == []


@pytest.fixture
def far(session, routes_world):
    """Two principals who each cannot read where a number is registered: a community worker of village
    VILLAGE_A (the number is in GRID_B, another village of the township) and the county admin of 220102
    (the number is in the sibling county 220103); with what must never appear in their answers."""
    lon, lat = inside_point("220103")
    grids.create_grid(session, SYSTEM, SIBLING_GRID, "远方网格", GridKind.residential, square(lon, lat))
    cw = make_user(session, "cw_village", "community_worker", VILLAGE_A)
    out = {}
    for who, grid, number, name, token in (
        ("community worker", GRID_B, TAKEN_NEAR, "欧阳远", token_for(session, cw)),
        ("county admin", SIBLING_GRID, TAKEN_FAR, "司马远", routes_world["tokens"]["in"]),
    ):
        h = make_household(session, grid, address=f"{name}路9号")
        p = make_person(session, h, name=name, id_number=number)
        secrets = [name, f"{name}路9号", grid, grid[:12]]
        ids = [(h.id, "household"), (p.id, "person")]
        out[who] = {"token": token, "taken": number, "secrets": secrets, "ids": ids}
    session.commit()
    return out


def normalised(r, numbers: tuple[str, ...]) -> tuple[int, str, str]:
    """Status, body and redirect target with the numbers, times, ids and the page's one-time tokens out."""

    def clean(text: str) -> str:
        for n in numbers:
            text = text.replace(n, "<ID>").replace(mask_id(n), "<ID>")
        text = re.sub(r'name="csrf[^"]*" (value|content)="[^"]*"', "csrf", text)
        text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?", "<TIME>", text)
        return re.sub(r"\d+", "#", text)

    return r.status_code, clean(r.text), clean(r.headers.get("location", ""))


def leaks(r, secrets: list[str], ids: list[tuple[int, str]]) -> list[str]:
    text = r.text + r.headers.get("location", "")
    found = [s for s in secrets if s in text]
    for n, what in ids:  # "household 7", "household_id":7, /households/7, 户 7 ...
        pattern = rf"""({what}s?[ _/#-]?(id)?["':= ]*|户 ?|人员 ?){n}\b"""
        found += [f"{what} {n}"] if re.search(pattern, text, re.IGNORECASE) else []
    return found


def followed(client, r, token: str) -> list:
    """The page a form's redirect leads to (what the person sees next), fetched as the same principal."""
    location = r.headers.get("location", "")
    if r.status_code in (302, 303) and location.startswith("/"):
        return [client.get(location, headers=auth(token), follow_redirects=False)]
    return []


def _diff(free: list, taken: list) -> str:
    import difflib

    def lines(answers: list) -> list[str]:
        out = []
        for x in answers:
            parts = x if isinstance(x, list) else [f"{x[0]} -> {x[2]}", *x[1].splitlines()]
            out += [p.strip()[:200] for p in parts if p.strip()]
        return out

    diff = difflib.unified_diff(lines(free), lines(taken), "free", "taken", lineterm="", n=1)
    return "\n".join(f"    {line}" for line in list(diff)[:30])


def lookups(connection) -> int:
    stmt = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "persons.id_lookup")
    return connection.execute(stmt).scalar_one()


def test_an_id_number_registered_out_of_reach_answers_like_a_free_one(app, client, routes_world, far, connection):
    failures, checked = [], []
    for (method, path), variants in identity.identity_cases().items():
        for variant, make_case in variants.items():
            for who, p in far.items():
                answers, statements = {}, {}
                for number in (FREE, p["taken"]):
                    savepoint = connection.begin_nested()
                    try:
                        before = lookups(connection)
                        with Statements(connection) as sql:
                            r = call(client, method, path, make_case(routes_world, number), p["token"])
                        audited = lookups(connection) - before
                        shown = [r, *followed(client, r, p["token"])]
                    finally:
                        savepoint.rollback()
                    answers[number], statements[number] = r, sql.seen
                    where = f"{method} {path} ({variant}) as {who} with the {'free' if number == FREE else 'taken'}"
                    if r.status_code >= 500 or r.status_code in (401, 403, 404):
                        failures.append(f"{where} number: {r.status_code} {r.text[:200]}")
                    if audited < 1:
                        failures.append(f"{where} number: the lookup by ID number was not audited")
                    for answer in shown:
                        if found := leaks(answer, p["secrets"], p["ids"]):
                            failures.append(f"{where} number named {found} ({answer.url})")
                    answers[number] = [normalised(a, (FREE, p["taken"])) for a in shown]
                free, taken = answers[FREE], answers[p["taken"]]
                if free != taken:
                    failures.append(f"{method} {path} ({variant}) as {who}: answers differ\n{_diff(free, taken)}")
                if statements[FREE] != statements[p["taken"]]:  # the same work: the same time
                    failures.append(
                        f"{method} {path} ({variant}) as {who}: different SQL\n"
                        + _diff([statements[FREE]], [statements[p["taken"]]])
                    )
                checked.append(f"{method} {path} ({variant}) as {who}: {free[0][0]}")
    assert not failures, "\n".join(failures)
    assert len(checked) == 2 * sum(len(v) for v in identity.identity_cases().values()), checked


def test_the_in_reach_answer_still_names_the_entry(client, routes_world, far):
    """The control: the same number registered where the caller reads is refused, naming the entry (so the
    check above compares answers that could differ)."""
    body = {"household_id": routes_world["res_household"], "relation": "child", "name": "李明", "id_number": TAKEN_NEAR}
    r = client.post("/api/v1/persons", json=body, headers=auth(far["county admin"]["token"]))
    assert r.status_code == 409 and "欧阳远" in r.json()["error"]["message"], r.text
