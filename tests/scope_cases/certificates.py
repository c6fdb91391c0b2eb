"""Scope cases of the certificates: the negative list and the list of a place (public), keeping the list at
a county, the counter (issuing, the issued list, one certificate and its PDF): 404 beside the area."""

from __future__ import annotations

from linli.certificates import seed, service
from linli.certificates.schemas import CertificateIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_residents import make_household, make_person
from tests.scope_cases import Case

NAME = "范围证明人"


def setup(session, w) -> dict:
    seed.load_examples(session, SYSTEM)
    person = make_person(session, make_household(session, VILLAGE_A + "001", address="证明路1号"), name=NAME)
    data = CertificateIn(area_code=VILLAGE_A, kind="ZM-03", person_id=person.id, purpose="政审")
    c = service.issue(session, SYSTEM, data)
    return {"ct_person": person.id, "ct_certificate": c.id}


def cases(w) -> dict:
    village, cert = {"code": VILLAGE_A}, {"certificate_id": w["ct_certificate"]}
    issue = {"area_code": VILLAGE_A, "kind": "ZM-03", "person_id": w["ct_person"], "purpose": "政审"}
    kind = {"area_code": "220102", "code": "NG-01", "name": "南关区示例证明", "legal_basis": "依据", "purpose": "用途",
            "sample_text": "兹证明{name}。", "handling_time": "即时办结"}  # fmt: skip
    return {
        ("GET", "/api/v1/certificates/negative-list"): Case(kind="public"),
        ("GET", "/api/v1/certificates/kinds"): Case(params={"area": VILLAGE_A}, kind="public"),
        ("POST", "/api/v1/certificates/kinds"): Case(body=kind),
        ("GET", "/api/v1/certificates"): Case(params={"area": VILLAGE_A}),
        ("POST", "/api/v1/certificates"): Case(body=issue),
        ("GET", "/api/v1/certificates/{certificate_id}"): Case(path=cert),
        ("GET", "/api/v1/certificates/{certificate_id}/certificate.pdf"): Case(path=cert),
        ("GET", "/areas/{code}/certificates"): Case(path=village),
        ("POST", "/areas/{code}/certificates"): Case(
            path=village, data={k: str(v) for k, v in issue.items() if k != "area_code"}
        ),
    }
