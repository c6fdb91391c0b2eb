"""A date typed in a form: one parser for every domain's forms (linli.web.forms.date_field)."""

from datetime import date

import pytest

from linli.kit.errors import InvalidInput
from linli.web.forms import date_field


def test_a_typed_date_empty_or_not_a_date():
    assert date_field(" 2026-03-05 ", "held on") == date(2026, 3, 5)
    assert date_field("", "held on") is None and date_field(None, "held on") is None
    with pytest.raises(InvalidInput, match="held on: give a date"):
        date_field("  ", "held on", required=True)
    with pytest.raises(InvalidInput, match=r"held on: '2026-02-30' is not a date \(YYYY-MM-DD\)"):
        date_field("2026-02-30", "held on")
