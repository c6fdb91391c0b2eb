"""The words of the workforce's codes, for pages, pay tables and explanations (translated where shown)."""

from __future__ import annotations

from linli.kit.i18n import N_

POSTS = {"head": N_("community head"), "member": N_("two-committee member"), "staff": N_("staff")}
RESULTS = {
    "excellent": N_("excellent"),
    "competent": N_("competent"),
    "basic": N_("basically competent"),
    "incompetent": N_("incompetent"),
}
REASONS = {"initial": N_("initial level rule"), "promotion": N_("promotion"), "manual": N_("set by the county")}
