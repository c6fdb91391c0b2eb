"""Scope cases of the facilities routes: facilities, photos, the report, happy-community sites, elderly
university branches, classes and enrolments, and the public and staff pages."""

from __future__ import annotations

import io

from linli.facilities import service
from linli.facilities.schemas import HappySiteIn
from tests.factories import SYSTEM, VILLAGE_A, principal
from tests.factories_facilities import make_class, make_facility
from tests.scope_cases import Case

NAME = "ScopeCaseFacility"
BRANCH = "ScopeCaseBranch"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def setup(session, w) -> dict:
    facility = make_facility(session, name=NAME)
    photo = service.add_photo(session, SYSTEM, facility.id, io.BytesIO(PNG), "front.png")
    site = service.designate_site(session, SYSTEM, HappySiteIn(area_code=VILLAGE_A, year=2024, criteria=["services"]))
    branch, klass = make_class(session, capacity=30)
    branch.name = BRANCH
    # A second class the in-area account is enrolled in: it withdraws from that one, enrols in the first.
    _, joined = make_class(session, capacity=30, course="合唱")
    service.enrol_self(session, principal(w["users"]["in"], ("admin", "220102")), joined.id)
    return {"fac_facility": facility.id, "fac_photo": photo.id, "fac_site": site.id, "fac_branch": branch.id,
            "fac_class": klass.id, "fac_joined": joined.id}  # fmt: skip


def cases(w) -> dict:
    facility = {"facility_id": w["fac_facility"]}
    klass = {"class_id": w["fac_class"]}
    joined = {"class_id": w["fac_joined"]}
    body = {"area_code": VILLAGE_A, "name": "新设施", "floor_area": "320.5",
            "hours": [{"weekday": 5, "opens": "09:00", "closes": "12:00"}]}  # fmt: skip
    new_class = {"course": "太极拳", "teacher": "李老师", "term": "2026年秋季", "starts_on": "2026-09-01",
                 "ends_on": "2099-01-10", "capacity": 20}  # fmt: skip
    png = {"file": ("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png")}
    return {
        ("GET", "/api/v1/facilities"): Case(kind="list", hidden=NAME),
        ("POST", "/api/v1/facilities"): Case(body=body),
        ("GET", "/api/v1/facilities/report"): Case(params={"area": "220102"}),
        ("GET", "/api/v1/facilities/{facility_id}"): Case(path=facility),
        ("PUT", "/api/v1/facilities/{facility_id}"): Case(path=facility, body={**body, "name": "改名"}),
        ("POST", "/api/v1/facilities/{facility_id}/photos"): Case(path=facility, files=png),
        ("GET", "/api/v1/facility-photos/{photo_id}"): Case(kind="public", path={"photo_id": w["fac_photo"]}),
        ("GET", "/api/v1/public/places/{code}/facilities"): Case(kind="public", path={"code": VILLAGE_A}),
        ("GET", "/api/v1/happy-sites"): Case(kind="list", hidden=f'"area_code":"{VILLAGE_A}"'),
        ("POST", "/api/v1/happy-sites"): Case(
            body={"area_code": "220102001002", "year": 2025, "criteria": ["elderly"]}
        ),
        ("POST", "/api/v1/happy-sites/{site_id}/reviews"): Case(
            path={"site_id": w["fac_site"]}, body={"year": 2025, "result": "kept"}
        ),
        ("GET", "/api/v1/elder-branches"): Case(kind="list", hidden=BRANCH),
        ("POST", "/api/v1/elder-branches"): Case(body={"area_code": VILLAGE_A, "name": "第二教学点"}),
        ("POST", "/api/v1/elder-branches/{branch_id}/classes"): Case(
            path={"branch_id": w["fac_branch"]}, body=new_class
        ),
        ("GET", "/api/v1/elder-classes/{class_id}"): Case(path=klass),
        ("POST", "/api/v1/elder-classes/{class_id}/enrolments"): Case(path=klass, body={"name": "张大爷"}),
        ("POST", "/api/v1/elder-classes/{class_id}/enrol"): Case(path=klass),
        ("POST", "/api/v1/elder-classes/{class_id}/withdraw"): Case(path=joined, kind="owner"),
        ("GET", "/public/facilities/{code}"): Case(kind="public", path={"code": VILLAGE_A}),
        ("GET", "/areas/{code}/facilities"): Case(path={"code": VILLAGE_A}),
        ("GET", "/areas/{code}/facilities/new"): Case(path={"code": VILLAGE_A}),
        ("POST", "/areas/{code}/facilities/new"): Case(
            path={"code": VILLAGE_A},
            data={"name": "表单设施", "floor_area": "800", "opens_0": "08:00", "closes_0": "16:00"},
        ),
        ("GET", "/facilities/{facility_id}"): Case(path=facility),
        ("POST", "/facilities/{facility_id}/photos"): Case(path=facility, files=png),
        ("GET", "/facilities/elder-classes/{class_id}"): Case(path=klass),
        ("POST", "/facilities/elder-classes/{class_id}/enrolments"): Case(path=klass, data={"name": "赵奶奶"}),
        ("GET", "/facilities/classes"): Case(kind="self"),
        ("POST", "/facilities/classes/{class_id}/enrol"): Case(path=klass),
        ("POST", "/facilities/classes/{class_id}/withdraw"): Case(path=joined, kind="owner"),
        ("POST", "/areas/{code}/facilities/sites"): Case(
            path={"code": "220102"}, data={"place": "220102001002", "year": "2025", "criteria": ["elderly"]}
        ),
        ("POST", "/areas/{code}/facilities/sites/{site_id}/reviews"): Case(
            path={"code": "220102", "site_id": w["fac_site"]}, data={"year": "2025", "result": "kept"}
        ),
        ("POST", "/areas/{code}/facilities/branches"): Case(
            path={"code": VILLAGE_A}, data={"place": VILLAGE_A, "name": "第三教学点"}
        ),
        ("POST", "/areas/{code}/facilities/branches/{branch_id}/classes"): Case(
            path={"code": VILLAGE_A, "branch_id": w["fac_branch"]},
            data={**new_class, "starts_on": "2026-09-01", "capacity": "20", "schedule": "每周三"},
        ),
    }
