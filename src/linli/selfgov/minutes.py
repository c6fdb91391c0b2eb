"""The minutes of a meeting as a printable PDF (linli.kit.pdf): its facts, the quorum arithmetic with its
article, the attendance list and each motion's recorded votes, with lines for the signatures."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.kit.i18n import N_, gettext, t
from linli.kit.pdf import Document
from linli.residents import repository as residents_repo
from linli.selfgov import repository as repo
from linli.selfgov.models import Meeting
from linli.selfgov.service import meetings

TABLE_LIMIT = 300  # more voters than this: lists of names instead of tables

CHOICES = {"yes": N_("Yes"), "no": N_("No"), "abstain": N_("Abstain")}
RESULTS = {"passed": N_("Passed"), "rejected": N_("Rejected"), None: N_("Not decided yet")}


def minutes_pdf(session: Session, m: Meeting, area_name: str) -> bytes:
    q = meetings.quorum(session, m)
    everyone = repo.voters(session, m.id, limit=100_000)
    names = residents_repo.names_of(session, [v.person_id for v in everyone])
    doc = Document(
        t("Minutes: {title}", title=m.title), subtitle=f"{area_name} · {gettext(meetings.KIND_LABELS[m.kind])}"
    )
    doc.facts(
        [
            (t("Date"), m.held_on.isoformat()),
            (t("Notice given on"), m.notice_on.isoformat()),
            (t("Place"), m.place or "—"),
            (t("Township official present"), m.official or "—"),
            (t("Quorum"), q.words),
        ]
    )
    if m.content:
        doc.heading(t("Content")).paragraph(m.content)
    doc.heading(t("Attendance"))
    motions = repo.motions_of(session, m.id)
    recorded = repo.votes_of(session, [x.id for x in motions])
    big = len(everyone) > TABLE_LIMIT
    if big:  # thousands of rows as a table take fpdf seconds each thousand: names run on in paragraphs
        _grouped(
            doc,
            names,
            {
                t("Present"): [v.person_id for v in everyone if v.present],
                t("Absent"): [v.person_id for v in everyone if not v.present],
            },
        )
    else:
        doc.table(
            [t("No."), t("Name"), t("Present")],
            [(v.person_id, names.get(v.person_id, ""), t("Yes") if v.present else t("No")) for v in everyone],
            widths=(1, 2, 1),
        )
    for motion in motions:
        found = repo.tally(session, motion.id)
        doc.heading(t("Motion: {title}", title=motion.title))
        doc.paragraph(
            t(
                "Yes {yes}, no {no}, abstain {abstain} of {present} present: {result}",
                yes=found.yes,
                no=found.no,
                abstain=found.abstain,
                present=q.present,
                result=gettext(RESULTS[motion.result]),
            )
        )
        votes = sorted(recorded[motion.id].items())
        if big:
            _grouped(
                doc, names, {gettext(label): [p for p, c in votes if c == choice] for choice, label in CHOICES.items()}
            )
        else:
            doc.table(
                [t("No."), t("Name"), t("Vote")],
                [(pid, names.get(pid, ""), gettext(CHOICES[c])) for pid, c in votes],
                widths=(1, 2, 1),
            )
    doc.signature_lines([t("Chair"), t("Recorder"), t("Township official")])
    return doc.output()


def _grouped(doc: Document, names: dict[int, str], groups: dict[str, list[int]]) -> None:
    """Each group as one paragraph: "赞成（2500）：张三（12）、李四（13）…"."""
    for label, ids in groups.items():
        listed = "、".join(f"{names.get(p, '')}（{p}）" for p in ids)
        doc.paragraph(f"{label}（{len(ids)}）：{listed}")
