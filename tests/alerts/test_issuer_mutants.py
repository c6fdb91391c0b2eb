"""The warning issuer's checks: warnings.issue over every covered area, for a new warning and for an
update or lift of an earlier one (each property a mutation of them would break; tools/mutation.sh)."""

from __future__ import annotations

import pytest

from linli.alerts.checks import check_previous, check_scope
from linli.authz.principal import principal_for, system_principal
from linli.kit.errors import Forbidden

ISSUER = principal_for(3, "bureau", [("warning_issuer", "220102"), ("resident", "220103")])


def test_an_issuer_issues_within_their_areas():
    check_scope(ISSUER, ["220102", "220102001", "220102001001"])
    check_previous(ISSUER, "W-1", ["220102001"])
    check_scope(system_principal(), ["220103", "23"])
    check_previous(system_principal(), "W-1", ["23"])
    check_scope(ISSUER, [])  # nothing covered, nothing refused
    check_previous(ISSUER, "W-1", [])


def test_a_new_warning_names_the_areas_refused_sorted_and_at_most_five():
    with pytest.raises(Forbidden) as exc:
        check_scope(ISSUER, ["220103002", "220102001", "220103001"])
    assert exc.value.message == "you may not issue warnings for 220103001, 220103002 (permission warnings.issue)"
    refused = [f"220103{n:03d}" for n in range(7, 0, -1)]
    with pytest.raises(Forbidden) as exc:
        check_scope(ISSUER, ["220102", *refused])
    assert exc.value.message == (
        "you may not issue warnings for 220103001, 220103002, 220103003, 220103004, 220103005 "
        "(permission warnings.issue)"
    )


def test_seeing_an_area_is_not_issuing_there():
    reader = principal_for(4, "reader", [("official", "220102"), ("resident", "220103")])
    check_scope(reader, ["220102001"])  # an official issues warnings
    worker = principal_for(5, "worker", [("community_worker", "220102001001")])
    with pytest.raises(Forbidden):
        check_scope(worker, ["220102001001"])
    with pytest.raises(Forbidden):
        check_previous(worker, "W-2", ["220102001001"])


def test_an_update_needs_the_permission_wherever_the_previous_warning_reached():
    for covered in (["220103"], ["220102", "220103001"], ["220103001", "220102"]):
        with pytest.raises(Forbidden) as exc:
            check_previous(ISSUER, "W-7", covered)
        # The areas are not named: some may lie beyond what the issuer may see.
        assert exc.value.message == (
            "you may not update or lift warning W-7: it covers areas where you may not issue warnings "
            "(permission warnings.issue)"
        )
