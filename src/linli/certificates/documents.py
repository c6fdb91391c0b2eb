"""The printed certificate (证明), in Chinese as the community hands it out, from the text fixed when it
was issued; the page shows the same in the reader's language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.certificates import repository
from linli.certificates.models import Certificate
from linli.kit import codes
from linli.kit.pdf import Document
from linli.kit.time import BEIJING, as_utc


def certificate_pdf(session: Session, c: Certificate) -> bytes:
    kind = repository.kind(session, c.kind_id)
    place = repository.name_of(session, codes.unpad(c.area_code))
    doc = Document(kind.name if kind else "证明", subtitle=f"{place}居民委员会")
    doc.facts(
        [
            ("证明编号", c.number),
            ("证明对象", c.person_name),
            ("用途", c.purpose),
            ("出具依据", kind.legal_basis if kind else ""),
        ]
    )
    doc.paragraph(c.body)
    doc.paragraph("本证明仅用于上述用途，复印无效。")
    day = as_utc(c.issued_at).astimezone(BEIJING).strftime("%Y年%m月%d日")
    doc.signature_lines([f"{place}居民委员会（盖章）", f"经办人：{c.issued_by}", day])
    return doc.output()
