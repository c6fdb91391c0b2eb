"""Writes of the workforce domain: settings (the dated regional rules), workers, posts and levels,
assessments and promotions. Each write is checked whole, audited with ids and codes only (never a name
or an ID number), and changes nothing when refused. One module per kind of write; this package names
them all, so callers write `service.promote(...)`."""

from __future__ import annotations

from linli.workforce.service.assessments import next_promotion, promote, record_assessment
from linli.workforce.service.common import MANAGE, READ, managed, missing_worker, setting_of
from linli.workforce.service.ratings import record_scores
from linli.workforce.service.recruitment import add_applicant, hire, open_round, publish, score_applicant
from linli.workforce.service.settings import save_setting
from linli.workforce.service.workers import assign_post, exit_worker, register_worker

__all__ = [
    "MANAGE",
    "READ",
    "add_applicant",
    "assign_post",
    "exit_worker",
    "hire",
    "managed",
    "missing_worker",
    "next_promotion",
    "open_round",
    "promote",
    "publish",
    "record_assessment",
    "record_scores",
    "register_worker",
    "save_setting",
    "score_applicant",
    "setting_of",
]
