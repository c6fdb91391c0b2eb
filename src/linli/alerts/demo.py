"""Demo warnings (marked generated): 农安县气象台's lightning yellow warning in force, and a gale blue
warning of the day before, already lifted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.alerts import service
from linli.alerts.models import WarningMessage
from linli.alerts.schemas import AreaIn, LiftIn, WarningIn
from linli.authz.principal import Principal

COUNTY = "220122"
AGENCY = "农安县气象台"


def generate_warnings(session: Session, actor: Principal) -> int:
    """Create the demo warnings once; returns the number of messages created."""
    if session.scalar(select(func.count()).where(WarningMessage.generated.is_(True))):
        return 0
    now = service._now().replace(second=0)
    area = [AreaIn(area_desc="农安县", area_codes=[COUNTY])]
    old_sent = now - timedelta(days=1, hours=3)
    gale = service.issue(
        session,
        actor,
        WarningIn(
            sender_name=AGENCY,
            agency_code="QX",
            event_type="gale",
            colour="blue",
            description="（演示数据）农安县气象台发布大风蓝色预警信号：24小时内农安县将出现平均风力6级以上大风。",
            instruction="1. 注意防风，关好门窗；2. 加固围板、棚架等易被风吹动的搭建物。",
            sent=old_sent,
            expires=old_sent + timedelta(hours=24),
            areas=area,
        ),
    )
    lifted = service.lift(session, actor, gale.identifier, LiftIn(sent=old_sent + timedelta(hours=8)))
    sent = now - timedelta(minutes=20)
    lightning = service.issue(
        session,
        actor,
        WarningIn(
            sender_name=AGENCY,
            agency_code="QX",
            event_type="lightning",
            colour="yellow",
            description="（演示数据）农安县气象台发布雷电黄色预警信号：6小时内农安县将发生雷电活动，"
            "可能会造成雷电灾害事故。",
            instruction="1. 政府及相关部门按照职责做好防雷工作；2. 密切关注天气，尽量避免户外活动。",
            sent=sent,
            effective=sent,
            expires=sent + timedelta(hours=6),
            areas=area,
        ),
    )
    for m in (gale, lifted, lightning):
        m.generated = True
    return 3
