"""Demo notices (marked generated) in the demo community: one to all residents, one to the elderly
living alone (by their tag)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.principal import Principal
from linli.notices import repository, service
from linli.notices.schemas import NoticeIn

COMMUNITY = "220102001001"

NOTICES = (
    NoticeIn(
        area_code=COMMUNITY,
        title="（演示数据）关于小区二次供水设施清洗停水的通知",
        body="各位居民：\n本周六 8:00—14:00 将清洗小区二次供水设施，届时暂停供水。\n"
        "请提前储水，关好水龙头。\n\n社区居委会",
        audience="all_residents",
    ),
    NoticeIn(
        area_code=COMMUNITY,
        title="（演示数据）独居老人冬季上门走访安排",
        body="社区将于下周对独居老人逐户上门走访，检查取暖和用电安全。\n如有需要，请拨打社区电话预约时间。",
        audience="tag",
        tag="elderly_alone",
    ),
)


def generate_notices(session: Session, actor: Principal) -> int:
    """Publish the demo notices once; returns the number published."""
    if repository.generated_count(session):
        return 0
    for data in NOTICES:
        n = service.create(session, actor, data, generated=True)
        service.publish(session, actor, n.id)
    return len(NOTICES)


def step(session: Session, actor: Principal, say) -> None:
    """Two published notices in the demo community: to all residents, and to the elderly living alone."""
    n = generate_notices(session, actor)
    if n:
        name = area_repo.find_area(session, COMMUNITY).name
        say(f"published {n} demo notices in {name} ({COMMUNITY}) (marked generated)")
