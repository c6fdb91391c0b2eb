"""Scope cases of the social work routes: stations, staff, services, records, cases (staff only: the
ancestor, not on the staff, is refused with 403) and the figures."""

from __future__ import annotations

from datetime import date

from linli.socialwork import service
from linli.socialwork.schemas import CaseIn, ServiceIn, StaffIn, StationIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A
from tests.scope_cases import Case

NAME = "ScopeCaseStation"


def setup(session, w) -> dict:
    st = service.stations.register_station(
        session, SYSTEM, StationIn(area_code=TOWN_A, name=NAME, opened_on=date(2024, 1, 1))
    )
    service.stations.add_service(session, SYSTEM, st.id, ServiceIn(kind="elderly"))
    username = w["users"]["in"].username
    service.stations.add_staff(session, SYSTEM, st.id, StaffIn(name="范围社工", username=username))
    from linli.authz.principal import principal_for

    staff = principal_for(w["users"]["in"].id, username, [("admin", "220102")])
    case = service.cases.open_case(session, staff, st.id, CaseIn(kind="elderly", client="某某", summary="范围"))
    return {"sw_station": st.id, "sw_case": case.id}


def cases(w) -> dict:
    st = {"station_id": w["sw_station"]}
    case = {"case_id": w["sw_case"]}
    today = date.today().isoformat()
    record = {"served_on": today, "kind": "elderly", "hours": "1.5", "beneficiaries": 2, "content": "探访"}
    new_case = {"kind": "elderly", "client": "某某", "summary": "独居"}
    entry = {"step": "assessed", "text": "评估"}
    page_st = {"station_id": w["sw_station"]}
    return {
        ("GET", "/api/v1/socialwork/stations"): Case(kind="list", hidden=NAME),
        ("POST", "/api/v1/socialwork/stations"): Case(
            body={"area_code": VILLAGE_A, "name": "新社工室", "parent_id": w["sw_station"]}
        ),
        ("GET", "/api/v1/socialwork/stations/{station_id}"): Case(path=st),
        ("POST", "/api/v1/socialwork/stations/{station_id}/staff"): Case(path=st, body={"name": "新社工"}),
        ("POST", "/api/v1/socialwork/stations/{station_id}/services"): Case(path=st, body={"kind": "children"}),
        ("GET", "/api/v1/socialwork/stations/{station_id}/records"): Case(path=st),
        ("POST", "/api/v1/socialwork/stations/{station_id}/records"): Case(path=st, body=record, ancestor_status=403),
        ("POST", "/api/v1/socialwork/stations/{station_id}/cases"): Case(path=st, body=new_case, ancestor_status=403),
        ("GET", "/api/v1/socialwork/cases/{case_id}"): Case(path=case, ancestor_status=403),
        ("POST", "/api/v1/socialwork/cases/{case_id}/entries"): Case(path=case, body=entry, ancestor_status=403),
        ("GET", "/api/v1/socialwork/counts"): Case(params={"area": "220102"}),
        ("GET", "/areas/{code}/socialwork"): Case(path={"code": "220102"}),
        ("POST", "/areas/{code}/socialwork"): Case(
            path={"code": TOWN_A}, data={"area_code": VILLAGE_A, "name": "新社工室", "parent_id": str(w["sw_station"])}
        ),
        ("GET", "/socialwork/stations/{station_id}"): Case(path=page_st),
        ("POST", "/socialwork/stations/{station_id}/staff"): Case(path=page_st, data={"name": "新社工"}),
        ("POST", "/socialwork/stations/{station_id}/services"): Case(path=page_st, data={"kind": "children"}),
        ("POST", "/socialwork/stations/{station_id}/records"): Case(
            path=page_st, data={k: str(v) for k, v in record.items()}, ancestor_status=403
        ),
        ("POST", "/socialwork/stations/{station_id}/cases"): Case(path=page_st, data=new_case, ancestor_status=403),
        ("GET", "/socialwork/cases/{case_id}"): Case(path=case, ancestor_status=403),
        ("POST", "/socialwork/cases/{case_id}/entries"): Case(path=case, data=entry, ancestor_status=403),
    }
