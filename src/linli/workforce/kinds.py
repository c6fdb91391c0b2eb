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
EDUCATION = {"secondary": N_("secondary school or below"), "college": N_("college (dazhuan)"),
             "bachelor": N_("bachelor's degree"), "master": N_("postgraduate")}  # fmt: skip
POLITICAL = {"party_member": N_("Party member"), "probationary": N_("probationary Party member"),
             "league_member": N_("Youth League member"), "masses": N_("no party affiliation"),
             "other_party": N_("member of another party")}  # fmt: skip
QUALIFICATIONS = {"none": N_("no social-work qualification"), "assistant": N_("assistant social worker"),
                  "social_worker": N_("social worker"), "senior": N_("senior social worker")}  # fmt: skip
SOURCES = {"transfer": N_("transferred in"), "recruitment": N_("open recruitment")}
RATERS = {"street": N_("the street (township)"), "residents": N_("residents' representatives"),
          "colleagues": N_("colleagues"), "party": N_("the community Party organisation")}  # fmt: skip
ROUND_STATUSES = {"open": N_("open: taking applicants and scores"), "published": N_("results published")}
