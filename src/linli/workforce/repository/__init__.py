"""All SQL of the workforce domain that reads: settings by area and year (the county's, else the nearest
ancestor's), workers in scope with their current post and level, households per community (from the
residents register) and confirmed pay runs. One module per subject; this package names them all, so
callers write `repo.setting_for(...)`."""

from __future__ import annotations

from linli.workforce.repository.pay import PayRow, pay_lines, pay_rows, pay_run, pay_run_of
from linli.workforce.repository.recruitment import (
    applicant,
    applicants_of,
    assessments_of_incompetent,
    get_round,
    ratings_by_year,
    ratings_of,
    round_posts,
    rounds_in,
)
from linli.workforce.repository.settings import coefficients, setting_at, setting_by_id, setting_for, settings_in
from linli.workforce.repository.workers import (
    active_by_community,
    assessment,
    assessments_of,
    generated_workers,
    get_worker,
    households_by_community,
    level_on,
    levels_of,
    list_workers,
    names,
    names_by_id,
    person_in,
    post_on,
    posts_of,
    posts_overlapping,
    worker_of_user,
)

__all__ = [
    "PayRow",
    "active_by_community",
    "applicant",
    "applicants_of",
    "assessment",
    "assessments_of",
    "assessments_of_incompetent",
    "coefficients",
    "generated_workers",
    "get_round",
    "get_worker",
    "households_by_community",
    "level_on",
    "levels_of",
    "list_workers",
    "names",
    "names_by_id",
    "pay_lines",
    "pay_rows",
    "pay_run",
    "pay_run_of",
    "person_in",
    "post_on",
    "posts_of",
    "posts_overlapping",
    "ratings_by_year",
    "ratings_of",
    "round_posts",
    "rounds_in",
    "setting_at",
    "setting_by_id",
    "setting_for",
    "settings_in",
    "worker_of_user",
]
