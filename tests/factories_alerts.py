"""Areas and people for the warnings tests: 农安县 (220122) with its boundary, and a sibling county."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from linli.areas.importer import import_boundaries, import_divisions
from linli.authz.principal import Principal
from tests.factories import SYSTEM, county_feature, make_user, principal, slice_divisions

CAP_DIR = Path(__file__).resolve().parent / "data" / "cap"
NONGAN = "220122"
SIBLING = "220103"
ALERT_ID = "220122QX2026070115020001"
UPDATE_ID = "220122QX2026070116100001"


def cap_file(name: str) -> bytes:
    return (CAP_DIR / name).read_bytes()


def load_alert_world(session: Session) -> None:
    counties = (NONGAN, SIBLING)
    import_divisions(session, SYSTEM, json.dumps({"divisions": slice_divisions(counties)}))
    fc = {"type": "FeatureCollection", "features": [county_feature(c) for c in counties]}
    import_boundaries(session, SYSTEM, json.dumps(fc))


def issuer(session: Session, username: str = "qxt", area: str = NONGAN) -> Principal:
    user = make_user(session, username, "warning_issuer", area)
    return principal(user, ("warning_issuer", area))
