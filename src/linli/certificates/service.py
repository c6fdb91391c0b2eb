"""The certificates' writes: a province or city keeps its list of certificates communities may issue (a
county may add local entries); a community worker issues a certificate on that list to a resident of the
community. A certificate on the national negative list is refused, naming where the resident goes instead;
so is one that is not on the list that applies (nothing without a basis: 民发〔2020〕20号).

Who: officials (certificates.manage) keep the list at their province, city or county; community workers
(certificates.issue) issue at their community. Out of reach answers 404.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.certificates import kinds
from linli.certificates import repository as repo
from linli.certificates.models import Certificate, CertificateKind
from linli.certificates.repository import ISSUE, MANAGE
from linli.certificates.schemas import CertificateIn, KindIn
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t


class OnNegativeList(InvalidInput):
    """A certificate communities must not issue: the message names the item and the alternative channel."""

    def __init__(self, item: kinds.Refused):
        super().__init__(
            t(
                "communities do not issue “{name}” (item {n} of the national negative list, {source}); "
                "instead: {channel}",
                name=item.name,
                n=item.number,
                source=kinds.SOURCE,
                channel=item.channel,
            ),
            code="negative_list",
            details={"item": item.code, "channel": item.channel, "channel_verified": item.channel_verified},
        )


def save_kind(session: Session, principal: Principal, data: KindIn, *, generated: bool = False) -> CertificateKind:
    """Put a certificate on an area's list, or change the entry of the same code there."""
    if not codes.is_valid(data.area_code) or len(data.area_code) not in kinds.DEFINING_LENGTHS:
        raise InvalidInput(t("a list of certificates is kept by a province, a city or a county"))
    principal.check(MANAGE, data.area_code, what=t("area {code}", code=data.area_code))
    if not repo.area_exists(session, data.area_code):
        raise NotFound(t("area {code} does not exist", code=data.area_code))
    refused = kinds.refused_named(data.name)
    if refused is not None:
        raise OnNegativeList(refused)
    values = data.model_dump(exclude={"area_code"})
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    try:
        values["sample_text"].format_map(defaultdict(str))
    except (ValueError, IndexError, AttributeError):
        raise InvalidInput(t("the sample text may hold only {name}, {community}, {purpose} and {details}")) from None
    row = repo.kind_defined(session, data.area_code, data.code)
    before = None
    if row is None:
        row = CertificateKind(area_code=codes.pad(data.area_code), changed_by=principal.audit_name,
                              generated=generated, **values)  # fmt: skip
        session.add(row)
    else:
        before = {"name": row.name, "active": row.active}
        for key, value in values.items():
            setattr(row, key, value)
        row.changed_by = principal.audit_name
    session.flush()
    record(
        session, principal, "certificates.kind_save", "certificate_kind", row.id, row.area_code,
        before=before, after={"code": row.code, "name": row.name, "active": row.active},
    )  # fmt: skip
    return row


def _kind_for(session: Session, community: str, asked: str) -> CertificateKind:
    """The kind on the community's list that `asked` names (its code or its name); a negative-list item is
    refused with its channel, anything else not on the list with the list's own words."""
    refused = kinds.refused_named(asked)
    if refused is not None:
        raise OnNegativeList(refused)
    for k in repo.kinds_at(session, community):
        if asked.strip() in (k.code, k.name):
            return k
    raise InvalidInput(
        t("“{asked}” is not on the list of certificates communities here may issue", asked=asked.strip()),
        code="not_on_list",
    )


def issue(session: Session, principal: Principal, data: CertificateIn, *, generated: bool = False) -> Certificate:
    """A certificate of the list, issued by a community to a resident of it, its text fixed as printed."""
    if not codes.is_valid(data.area_code) or not principal.visible.contains(data.area_code):
        raise NotFound(t("village or community {code} does not exist", code=data.area_code))
    area = repo.community(session, data.area_code)
    principal.check(ISSUE, area.code, what=t("area {code}", code=area.code))
    kind = _kind_for(session, area.code, data.kind)
    person = repo.person(session, data.person_id)
    if person is None or not codes.in_subtree(person.area_code, area.code) or person.status != "present":
        raise NotFound(t("person {id} does not exist", id=data.person_id))
    fields = defaultdict(str, name=person.name, community=area.name, purpose=data.purpose.strip(),
                         details=data.details.strip())  # fmt: skip
    body = kind.sample_text.format_map(fields)
    c = Certificate(
        area_code=codes.pad(area.code), kind_id=kind.id, person_id=person.id, person_name=person.name,
        purpose=data.purpose.strip(), body=body, issued_by=principal.audit_name, issued_by_id=principal.user_id,
        generated=generated,
    )  # fmt: skip
    session.add(c)
    session.flush()
    # Ids and the kind only: the text names the person.
    record(
        session, principal, "certificates.issue", "certificate", c.id, c.area_code,
        after={"kind": kind.code, "person_id": person.id},
    )  # fmt: skip
    return c
