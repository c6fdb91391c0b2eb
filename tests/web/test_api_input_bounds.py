"""Input the database cannot take is refused with 422 and a message, never a server error; the OpenAPI
document says what the routes really answer; 405 names the methods a path serves."""

from __future__ import annotations

import pytest

from linli.kit.types import MAX_ID
from tests.factories import auth, make_user, token_for
from tests.factories_residents import make_building, make_grids

HUGE = 2**63  # one past SQLite's integers; the driver used to fail on it (500)


@pytest.fixture
def admin(session, areas):
    make_grids(session, load_areas=False)
    token = token_for(session, make_user(session, "bounds_admin", "admin", "22"))
    building = make_building(session)
    session.commit()
    return {"token": token, "building": building.id}


@pytest.mark.parametrize(
    "method,url",
    [
        ("GET", f"/api/v1/users/{HUGE}"),
        ("GET", f"/api/v1/persons/{HUGE}"),
        ("GET", f"/api/v1/households/{MAX_ID + 1}"),
        ("DELETE", f"/api/v1/tokens/{HUGE}"),
        ("GET", f"/api/v1/event-photos/{HUGE}"),
        ("GET", f"/api/v1/areas/22/children?page={HUGE}"),
        ("GET", f"/api/v1/events?unit_id={HUGE}"),
    ],
)
def test_ids_and_pages_past_the_database_are_422(client, admin, method, url):
    r = client.request(method, url, headers=auth(admin["token"]))
    assert r.status_code == 422, r.text
    assert "less than or equal" in r.json()["error"]["message"]


def test_ids_in_a_body_past_the_database_are_422(client, admin):
    r = client.post("/api/v1/grids/220102001001001/workers", json={"user_id": HUGE}, headers=auth(admin["token"]))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["field"] == "user_id"


def test_ids_at_the_limit_are_simply_not_found(client, admin):
    r = client.get(f"/api/v1/users/{MAX_ID}", headers=auth(admin["token"]))
    assert r.status_code == 404, r.text


def test_null_for_a_required_field_of_a_patch_is_422(client, admin):
    url = f"/api/v1/buildings/{admin['building']}"
    r = client.patch(url, json={"kind": None}, headers=auth(admin["token"]))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["details"][0]["field"] == "kind" and "cannot be empty (null)" in error["message"]
    # A field that may be empty is cleared by null, and a field left out keeps its value.
    r = client.patch(url, json={"units": None}, headers=auth(admin["token"]))
    assert r.status_code == 200 and r.json()["units"] is None and r.json()["kind"] == "compound"


def test_patch_schemas_do_not_offer_null_where_it_is_refused(app):
    schemas = app.openapi()["components"]["schemas"]
    kind = schemas["BuildingPatch"]["properties"]["kind"]
    assert "anyOf" not in kind and "default" not in kind
    assert {"type": "null"} in schemas["BuildingPatch"]["properties"]["units"]["anyOf"]


def test_405_names_every_method_of_the_path(client, admin):
    r = client.delete("/api/v1/users", headers=auth(admin["token"]))
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, POST"
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_the_document_declares_real_media_types_and_error_bodies(app):
    doc = app.openapi()
    xlsx = doc["paths"]["/api/v1/areas/{code}/residents.xlsx"]["get"]["responses"]
    assert list(xlsx["200"]["content"]) == ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    assert set(xlsx) >= {"200", "401", "403", "404", "422"}
    atom = doc["paths"]["/cap/{area_code}.atom"]["get"]["responses"]["200"]["content"]
    assert list(atom) == ["application/atom+xml"]
    grid = doc["paths"]["/api/v1/grids/{code}"]["patch"]["responses"]
    assert set(grid) >= {"200", "400", "401", "403", "404", "409", "413", "422"}
    assert grid["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    # A token is how a client signs in (the Authorize button of /docs); public routes ask for none.
    assert doc["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert doc["paths"]["/api/v1/me"]["get"]["security"] == [{"token": []}]
    assert "security" not in doc["paths"]["/cap/{area_code}.atom"]["get"]


def test_every_route_named_in_the_document_tables_exists(app):
    from linli import apidoc

    doc = app.openapi()
    named = set(apidoc.MEDIA) | set(apidoc.BODIES) | set(apidoc.EXTRA)
    missing = [f"{m} {p}" for m, p in named if m.lower() not in doc["paths"].get(p, {})]
    assert not missing, f"linli/apidoc.py names routes that do not exist: {missing}"


def test_unreadable_multipart_upload_is_400_not_500(client, admin):
    headers = {**auth(admin["token"]), "Content-Type": "multipart/form-data; boundary=xyz"}
    body = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nX[: y\r\n\r\nabc\r\n--xyz--\r\n'
    r = client.post("/api/v1/residents/import", content=body, headers=headers)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_form"


def _loose_integers(app) -> list[str]:
    """Route parameters and request-body fields holding a row id or a page number as a plain int."""
    from pydantic import BaseModel

    from linli.authz.deps import iter_routes

    def loose(name: str, annotation) -> bool:
        wanted = name.endswith(("_id", "_ids")) or name in ("id", "page")
        return wanted and ("int" in {annotation, getattr(annotation, "__name__", None)} or "[int]" in str(annotation))

    found = []
    for route in iter_routes(app.routes):
        dep = route.dependant
        for param in (*dep.path_params, *dep.query_params, *dep.body_params):
            annotation = param.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                found += [
                    f"{route.path}: {annotation.__name__}.{n}"
                    for n, f in annotation.model_fields.items()
                    if not annotation.__name__.endswith("Out") and loose(n, f.annotation)
                ]
            elif loose(param.name, annotation):
                found.append(f"{route.path}: {param.name}")
    return sorted(set(found))


def test_every_id_and_page_number_is_bounded(app):
    """A plain int reaches the driver and fails there past its column (a 500): ids and page numbers are
    kit.types.Id / PageNumber (tools/apply_id_type.py rewrites route and schema modules)."""
    assert _loose_integers(app) == []
