"""Demo disclosure boards (marked generated): 西关村委会 of 农安县 with a quarter's finances on time, a
resolution with a question answered and one waiting for its answer, and relief funds past their due
date; 华阳社区 of 南关区 with its finances and a resolution. Dates are relative to the day of the demo."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.accounts.service import grant_role
from linli.authn.models import User
from linli.authn.passwords import generate_password, hash_password
from linli.authz.principal import Principal, principal_for
from linli.disclosure import repository, service
from linli.disclosure.schemas import ItemIn
from linli.kit import codes

VILLAGE = "220122001202"  # 西关村委会, 农安县
COMMUNITY = "220102001001"  # 华阳社区, 南关区
MARK = "（演示数据）"


def demo_residents(session: Session, actor: Principal) -> list[Principal]:
    """Two generated residents of the demo village (nobody signs in as them)."""
    out = []
    for username, name in (("xiguan-villager-1", "王秀兰（演示）"), ("xiguan-villager-2", "赵德山（演示）")):
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username,
                display_name=name,
                password_hash=hash_password(generate_password()),
                area_code=codes.pad(VILLAGE),
            )
            session.add(user)
            session.flush()
            grant_role(session, actor, user.id, "resident", VILLAGE)
        out.append(principal_for(user.id, username, [("resident", VILLAGE)]))
    return out


def _item(session, actor, code, kind, title, body, on, **dates):
    data = ItemIn(area_code=code, kind=kind, title=MARK + title, body=body, **dates)
    return service.create_item(session, actor, data, on=on, generated=True)


def _village(session: Session, actor: Principal) -> None:
    today = repository.today()
    residents = demo_residents(session, actor)
    q_end = today - timedelta(days=15)
    finances = _item(
        session,
        actor,
        VILLAGE,
        "finances",
        "本季度集体财务收支",
        "收入：土地发包 86,000元\n支出：村道维修 23,400元；办公 3,100元",
        q_end,
        period_from=q_end - timedelta(days=80),
        period_to=q_end,
    )
    service.publish(session, actor, finances.id, on=q_end + timedelta(days=5))
    decided = today - timedelta(days=5)
    resolution = _item(
        session,
        actor,
        VILLAGE,
        "resolution",
        "关于硬化三组村道的决定",
        "经村民代表会议讨论决定：硬化第三村民小组村道1.2公里，预算18万元，由上级补助和村集体收入支付。",
        decided,
        occurred_on=decided,
    )
    service.publish(session, actor, resolution.id, on=today - timedelta(days=3))
    asked = service.ask(
        session, residents[0], resolution.id, "施工队是怎么选定的？", on=today - timedelta(days=2), generated=True
    )
    service.answer(
        session, actor, asked.id, "经公开比选，三家报价中选定最低价，比选记录在村委会可查。", on=today - timedelta(1)
    )
    service.ask(
        session, residents[1], resolution.id, "二组的路什么时候修？", on=today - timedelta(days=1), generated=True
    )
    late_end = today - timedelta(days=25)
    _item(
        session,
        actor,
        VILLAGE,
        "relief_funds",
        "冬季取暖救助资金发放情况",
        "救助对象12户，每户800元。",
        today,
        period_from=late_end - timedelta(days=60),
        period_to=late_end,
    )  # due 15 days ago: overdue


def _community(session: Session, actor: Principal) -> None:
    today = repository.today()
    end = today - timedelta(days=12)
    finances = _item(
        session,
        actor,
        COMMUNITY,
        "finances",
        "社区居委会经费收支",
        "收入：办公经费 30,000元\n支出：活动 6,200元；物资 4,800元",
        end,
        period_from=end - timedelta(days=85),
        period_to=end,
    )
    service.publish(session, actor, finances.id, on=today - timedelta(days=4))
    decided = today - timedelta(days=6)
    resolution = _item(
        session,
        actor,
        COMMUNITY,
        "resolution",
        "关于加装电梯意见征集结果的决定",
        "居民会议决定：3号楼、5号楼申请加装电梯，费用按楼层分摊。",
        decided,
        occurred_on=decided,
    )
    service.publish(session, actor, resolution.id, on=today - timedelta(days=2))


def step(session: Session, actor: Principal, say) -> None:
    """Disclosure boards in a village of 农安县 and a community of 南关区 (marked generated)."""
    if repository.generated_count(session):
        return
    _village(session, actor)
    _community(session, actor)
    say(f"published demo disclosure boards in {VILLAGE} and {COMMUNITY} (marked generated)")
