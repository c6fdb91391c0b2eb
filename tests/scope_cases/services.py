"""Scope cases of the services routes: the public catalogue, its administration and XLSX, applications
(list, submit, materials, transitions, PDFs), the figures, and the pages."""

from __future__ import annotations

import io

from linli.services import service as services
from linli.services import sheet, workflow
from linli.services.schemas import ApplicationIn, ItemIn, MaterialIn, OfferIn, StepIn, TransitionIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_residents import make_household, make_person
from tests.scope_cases import Case

APPLICANT = "范围测试申请人"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ITEM = ItemIn(
    area_code="220102",
    basic_code="GG-MZ-90001",
    main_name="范围测试事项",
    name="范围测试事项办理",
    item_type="GG",
    department="民政局",
    department_code="MZ",
    implementing_unit="区民政局",
    level="county",
    materials=[MaterialIn(name="居民身份证")],
    steps=[StepIn(name="审核", unit="街道社会事务办", level="township", days=3)],
    statutory_days=10,
    promised_days=5,
)


def _app(session, offer_id: int, person_id: int, *actions: TransitionIn):
    app = workflow.submit(session, SYSTEM, ApplicationIn(offer_id=offer_id, person_id=person_id))
    for data in actions:
        if data.action == "accept":
            workflow.mark_seen(session, SYSTEM, app.id, 0)
        workflow.transition(session, SYSTEM, app.id, data)
    return app.id


def setup(session, w) -> dict:
    item = services.save_item(session, SYSTEM, ITEM)
    offer = services.save_offer(session, SYSTEM, OfferIn(item_id=item.id, area_code=VILLAGE_A))
    person = make_person(session, make_household(session, VILLAGE_A + "001", address="范围路1号"), name=APPLICANT)
    submitted = _app(session, offer.id, person.id)
    returned = _app(session, offer.id, person.id, TransitionIn(action="return", missing=["居民身份证"]))
    accepted = _app(session, offer.id, person.id, TransitionIn(action="accept"))
    xlsx = sheet.export(session, SYSTEM, "220102")
    return {
        "sv_item": item.id,
        "sv_offer": offer.id,
        "sv_person": person.id,
        "sv_submitted": submitted,
        "sv_returned": returned,
        "sv_accepted": accepted,
        "sv_xlsx": xlsx,
    }


def cases(w) -> dict:
    offer = {"offer_id": w["sv_offer"]}
    submitted = {"application_id": w["sv_submitted"]}
    material = {"application_id": w["sv_submitted"], "position": 0}
    upload = {"file": ("身份证.png", PNG, "image/png")}
    xlsx = {"file": ("目录.xlsx", io.BytesIO(w["sv_xlsx"]).getvalue(), sheet_type())}
    offer_form = {"promised_days": "4", "place": "服务站", "hours": "8:30-17:00", "enabled": "yes"}
    area_c = {"code": "220102"}
    return {
        ("GET", "/api/v1/services/catalogue/{code}"): Case(path={"code": VILLAGE_A}, kind="public"),
        ("GET", "/api/v1/services/offers/{offer_id}"): Case(path=offer, kind="public"),
        ("POST", "/api/v1/services/items"): Case(body=ITEM.model_dump()),
        ("POST", "/api/v1/services/offers"): Case(body={"item_id": w["sv_item"], "area_code": VILLAGE_A}),
        ("GET", "/api/v1/services/catalogue/{code}/catalogue.xlsx"): Case(path=area_c),
        ("POST", "/api/v1/services/catalogue/import"): Case(files=xlsx, sibling_status=422),
        ("GET", "/api/v1/services/applications"): Case(kind="list", hidden=APPLICANT),
        ("GET", "/api/v1/services/applications/mine"): Case(kind="self"),
        ("POST", "/api/v1/services/applications"): Case(body={"offer_id": w["sv_offer"], "person_id": w["sv_person"]}),
        ("GET", "/api/v1/services/applications/{application_id}"): Case(path=submitted),
        ("POST", "/api/v1/services/applications/{application_id}/transitions"): Case(
            path=submitted, body={"action": "return", "missing": ["居民身份证"]}
        ),
        ("POST", "/api/v1/services/applications/{application_id}/materials/{position}"): Case(
            path=material, files=upload
        ),
        ("POST", "/api/v1/services/applications/{application_id}/seen"): Case(path=submitted, body={"position": 0}),
        ("GET", "/api/v1/services/applications/{application_id}/notice.pdf"): Case(
            path={"application_id": w["sv_returned"]}
        ),
        ("GET", "/api/v1/services/applications/{application_id}/receipt.pdf"): Case(
            path={"application_id": w["sv_accepted"]}
        ),
        ("GET", "/api/v1/services/figures"): Case(params={"area": "220102"}),
        ("GET", "/services/catalogue/{code}"): Case(path={"code": VILLAGE_A}, kind="public"),
        ("GET", "/services/offers/{offer_id}"): Case(path=offer, kind="public"),
        ("GET", "/services/offers/{offer_id}/apply"): Case(path=offer, kind="self"),
        ("POST", "/services/offers/{offer_id}/apply"): Case(path=offer, data={"person_id": str(w["sv_person"])}),
        ("GET", "/services/applications/{application_id}"): Case(path=submitted),
        ("POST", "/services/applications/{application_id}/act"): Case(
            path=submitted, data={"action": "return", "missing": "居民身份证"}
        ),
        ("POST", "/services/applications/{application_id}/materials/{position}"): Case(path=material, files=upload),
        ("POST", "/services/applications/{application_id}/seen/{position}"): Case(path=material),
        ("GET", "/services/mine"): Case(kind="self"),
        ("GET", "/areas/{code}/services"): Case(path=area_c),
        ("GET", "/areas/{code}/services/figures"): Case(path=area_c),
        ("GET", "/areas/{code}/services/catalogue"): Case(path={"code": VILLAGE_A}),
        ("POST", "/areas/{code}/services/catalogue/{item_id}"): Case(
            path={"code": VILLAGE_A, "item_id": w["sv_item"]}, data=offer_form
        ),
        ("POST", "/areas/{code}/services/catalogue-examples"): Case(path=area_c),
        ("POST", "/areas/{code}/services/catalogue-import"): Case(path=area_c, files=xlsx),
    }


def sheet_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
