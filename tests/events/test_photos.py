"""Photos: real images only, within the size limit, GPS taken from EXIF, EXIF stripped, served in scope."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from linli.events.models import EventPhoto
from tests.factories import auth, token_for
from tests.factories_events import events_world, image_bytes


@pytest.fixture
def ew(session):
    w = events_world(session)
    w["tokens"] = {k: token_for(session, u) for k, u in w["people"].items()}
    session.commit()
    return w


def _upload(client, ew, who, data, name="p.jpg", mime="image/jpeg"):
    return client.post("/api/v1/event-photos", files={"file": (name, data, mime)}, headers=auth(ew["tokens"][who]))


def test_exif_position_is_used_and_stripped(client, session, ew):
    lon, lat = ew["point"]
    r = _upload(client, ew, "resident", image_bytes(gps=(lon, lat)))
    assert r.status_code == 201, r.text
    photo = r.json()
    assert photo["exif_point"] == pytest.approx([lon, lat], abs=1e-5)
    # Report without a point: the photo's position is used and the event lands in the grid.
    body = {"category_code": "0301", "title": "照片定位", "photo_ids": [photo["id"]]}
    r = client.post("/api/v1/events", json=body, headers=auth(ew["tokens"]["resident"]))
    assert r.status_code == 201, r.text
    ev = r.json()["event"]
    assert ev["area_code"] == "220102001001001" and ev["lon"] == pytest.approx(lon, abs=1e-5)
    # What is stored and served has no EXIF at all.
    got = client.get(photo["url"], headers=auth(ew["tokens"]["gridworker"]))
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    stored = Image.open(io.BytesIO(got.content))
    assert len(stored.getexif()) == 0 and b"TestCam" not in got.content
    detail = client.get(f"/api/v1/events/{ev['id']}", headers=auth(ew["tokens"]["neighbour"])).json()
    assert detail["photos"][0]["exif_point"] is None  # the public part has no photo metadata
    # The sibling county does not see it.
    assert client.get(photo["url"], headers=auth(ew["tokens"]["sibling"])).status_code == 404


@pytest.mark.parametrize("fmt,mime", [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_accepted(client, ew, fmt, mime):
    r = _upload(client, ew, "resident", image_bytes(fmt), name=f"p.{fmt.lower()}", mime=mime)
    assert r.status_code == 201 and r.json()["exif_point"] is None


def test_not_an_image_or_too_large_is_refused_and_nothing_kept(client, session, ew, monkeypatch):
    r = _upload(client, ew, "resident", b"%PDF-1.4 not an image", name="x.jpg")
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_an_image"
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    r = _upload(client, ew, "resident", gif.getvalue(), name="x.gif", mime="image/gif")
    assert r.status_code == 422 and "JPEG, PNG or WebP" in r.json()["error"]["message"]
    monkeypatch.setenv("LINLI_EVENT_PHOTO_MAX_BYTES", "1000")
    from linli.config import get_settings

    get_settings.cache_clear()
    r = _upload(client, ew, "resident", image_bytes(size=(400, 400)) + b"\0" * 2000)
    assert r.status_code == 422 and r.json()["error"]["code"] == "photo_too_large"
    assert session.scalar(select(func.count()).select_from(EventPhoto)) == 0


def test_someone_elses_photo_cannot_be_attached(client, ew):
    pid = _upload(client, ew, "resident", image_bytes()).json()["id"]
    lon, lat = ew["point"]
    body = {"category_code": "0301", "title": "x", "lon": lon, "lat": lat, "photo_ids": [pid]}
    r = client.post("/api/v1/events", json=body, headers=auth(ew["tokens"]["neighbour"]))
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_photo"
    # Unattached, it is visible only to the uploader.
    assert client.get(f"/api/v1/event-photos/{pid}", headers=auth(ew["tokens"]["neighbour"])).status_code == 404
    assert client.get(f"/api/v1/event-photos/{pid}", headers=auth(ew["tokens"]["resident"])).status_code == 200
