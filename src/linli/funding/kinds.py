"""The words of the funding's codes, for pages, reports and errors (translated where shown)."""

from __future__ import annotations

from linli.kit.i18n import N_

KINDS = {
    "member_pay": N_("two-committee members' pay"),
    "office": N_("office funds"),
    "public_service": N_("public service funds"),
    "other": N_("other funds"),
}
PAYERS = {
    "province": N_("province"),
    "city": N_("city"),
    "county": N_("county"),
    "collective": N_("village collective"),
}
