"""Demo certificates (marked generated): the example list at the province, and a few certificates issued
by 华阳社区 of 南关区 to residents of its demo grid."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.certificates import repository, seed, service
from linli.certificates.schemas import CertificateIn

COMMUNITY = "220102001001"  # 华阳社区, 南关区
MARK = "（演示数据）"
PLAN = [
    ("ZM-03", "单位政审材料", "第十一届委员会委员，任期五年"),
    ("ZM-02", "街道审核最低生活保障申请", "参加评议居民代表9人，同意9人"),
    ("ZM-01", "办理存款继承手续", "其女（演示）"),
]


def step(session: Session, actor: Principal, say) -> None:
    added = seed.load_examples(session, actor, generated=True)
    if added:
        say(f"added {added} example certificates to the province's list (marked example, generated)")
    if repository.generated_certificates(session, COMMUNITY):
        return
    people = repository.residents_named(session, COMMUNITY, actor.scope(Permission.certificates_issue), "", limit=3)
    n = 0
    for person, (kind, purpose, details) in zip(people, PLAN, strict=False):
        data = CertificateIn(area_code=COMMUNITY, kind=kind, person_id=person.id, purpose=purpose + MARK,
                             details=details)  # fmt: skip
        service.issue(session, actor, data, generated=True)
        n += 1
    if n:
        say(f"issued {n} demo certificates in {COMMUNITY} (marked generated)")
