"""The areas of the warnings tests (tests/factories_alerts.py); test_delivery builds its own world."""

from __future__ import annotations

import pytest

from tests.factories_alerts import load_alert_world


@pytest.fixture
def warning_areas(session):
    """农安县 (220122) and a sibling county with their boundaries, flushed."""
    load_alert_world(session)
    session.flush()
