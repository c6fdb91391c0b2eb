"""Photos of events: checked to be real JPEG/PNG/WebP images, GPS read from EXIF, EXIF stripped.

A photo is re-encoded from its pixels (which drops EXIF and any other metadata) and stored under
`<data dir>/media/` by the SHA-256 of what is stored, so the same photo is kept once.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authn.models import User
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.events.models import EventPhoto
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_PIXELS = 60_000_000  # refuse decompression bombs well before Pillow's own limit
GPS_IFD = 0x8825


@dataclass
class Processed:
    data: bytes
    media_type: str
    width: int
    height: int
    exif_point: tuple[float, float] | None


def _to_degrees(value, ref) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60.0 + s / 3600.0
    return -deg if str(ref).upper() in ("S", "W") else deg


def exif_point(img: Image.Image) -> tuple[float, float] | None:
    """(lon, lat) from the EXIF GPS tags, when present and sane."""
    try:
        gps = img.getexif().get_ifd(GPS_IFD)
    except Exception:  # malformed EXIF is common on phone photos; no position then
        return None
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat = _to_degrees(gps.get(2), gps.get(1, "N"))
    lon = _to_degrees(gps.get(4), gps.get(3, "E"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return round(lon, 7), round(lat, 7)


def process(raw: bytes, max_bytes: int) -> Processed:
    if len(raw) > max_bytes:
        raise InvalidInput(
            t(
                "the photo is {size:.1f} MB; the limit is {limit:.0f} MB",
                size=len(raw) / 1048576,
                limit=max_bytes / 1048576,
            ),
            code="photo_too_large",
        )
    try:
        img = Image.open(io.BytesIO(raw))
        fmt = img.format
        if fmt not in FORMATS:
            raise InvalidInput(
                t("photos must be JPEG, PNG or WebP, not {format}", format=fmt or t("unknown")), code="not_an_image"
            )
        if img.width * img.height > MAX_PIXELS:
            raise InvalidInput(t("the photo has too many pixels"), code="photo_too_large")
        point = exif_point(img)
        img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise InvalidInput(t("this file is not a readable JPEG, PNG or WebP image"), code="not_an_image") from None
    # Apply the EXIF orientation to the pixels before the EXIF goes, so the photo still stands upright.
    img = ImageOps.exif_transpose(img)
    out = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        img.save(out, "PNG", optimize=True)
    else:
        img.save(out, "WEBP", quality=88)
    return Processed(out.getvalue(), FORMATS[fmt], img.width, img.height, point)


def media_dir() -> Path:
    return get_settings().data_dir / "media"


def path_of(photo: EventPhoto) -> Path:
    return media_dir() / photo.sha256[:2] / f"{photo.sha256}.{EXT[photo.media_type]}"


def _store(data: bytes, sha: str, media_type: str) -> None:
    target = media_dir() / sha[:2] / f"{sha}.{EXT[media_type]}"
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)  # atomic: a reader never sees half a file


def upload(session: Session, principal: Principal, raw: bytes) -> EventPhoto:
    """Store a photo not yet attached to an event (it is attached when the event is reported or handled)."""
    if principal.user_id is None:
        raise InvalidInput(t("photos are uploaded by a signed-in user"))
    p = process(raw, get_settings().event_photo_max_bytes)
    sha = hashlib.sha256(p.data).hexdigest()
    _store(p.data, sha, p.media_type)
    user = session.get(User, principal.user_id)
    photo = EventPhoto(
        sha256=sha,
        media_type=p.media_type,
        width=p.width,
        height=p.height,
        exif_lon=p.exif_point[0] if p.exif_point else None,
        exif_lat=p.exif_point[1] if p.exif_point else None,
        uploaded_by=principal.user_id,
        area_code=user.area_code,
    )
    session.add(photo)
    session.flush()
    record(session, principal, "event_photo.upload", "event_photo", photo.id, user.area_code, after={"sha256": sha})
    return photo


def unavailable(photo_id: int) -> InvalidInput:
    return InvalidInput(
        t("photo {photo_id} does not exist or is attached already", photo_id=photo_id), code="unknown_photo"
    )


def own_unattached(session: Session, principal: Principal, ids: list[int]) -> list[EventPhoto]:
    photos = []
    for pid in dict.fromkeys(ids):
        photo = session.get(EventPhoto, pid)
        if photo is None or photo.uploaded_by != principal.user_id or photo.event_id is not None:
            raise unavailable(pid)
        photos.append(photo)
    return photos


def attach(photos: list[EventPhoto], event_id: int, area_code: str, stage: str) -> None:
    for photo in photos:
        photo.event_id, photo.area_code, photo.stage = event_id, area_code, stage


def readable(session: Session, principal: Principal, photo_id: int) -> EventPhoto:
    """A photo the principal may see: their own upload, or one of an event they may read."""
    photo = session.get(EventPhoto, photo_id)
    if photo is None:
        raise NotFound(t("photo {photo_id} does not exist", photo_id=photo_id))
    if photo.event_id is None:
        if photo.uploaded_by != principal.user_id:
            raise NotFound(t("photo {photo_id} does not exist", photo_id=photo_id))
    elif not principal.can(Permission.events_read, photo.area_code):
        raise NotFound(t("photo {photo_id} does not exist", photo_id=photo_id))
    return photo
