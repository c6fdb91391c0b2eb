"""Demo consultations (marked generated) in 华阳社区 of 南关区: one held with its opinion and the
implementation reported back, one scheduled online and open for opinions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.consultation import repository, service

COMMUNITY = "220102001001"  # 华阳社区, 南关区
MARK = "（演示数据）"


def step(session: Session, actor: Principal, say) -> None:
    """Two consultations in the demo community (marked generated)."""
    if repository.generated_count(session):
        return
    today = repository.today()
    parking = service.raise_topic(
        session, actor, COMMUNITY, MARK + "小区停车难", "晚间车辆占用消防通道，居民建议划定夜间停车位。", generated=True
    )
    service.schedule(
        session, actor, parking.id, form="meeting", held_on=today - timedelta(days=20), place="社区议事厅",
        content="议题：划定夜间临时停车位，消防通道禁停。", on=today - timedelta(days=30),
        participants=[("residents", "各楼栋居民代表"), ("property_company", "物业服务中心"), ("unit", "辖区派出所")],
    )  # fmt: skip
    service.record_outcome(
        session, actor, parking.id, held_on=today - timedelta(days=20), present=26,
        opinion="在小区东侧划定夜间临时停车位40个，消防通道全天禁停，由物业设置标识。", on=today - timedelta(days=20),
    )  # fmt: skip
    service.report_back(
        session, actor, parking.id, "停车位已划定，标识已设置，消防通道保持畅通。", on=today - timedelta(days=5)
    )
    garden = service.raise_topic(
        session, actor, COMMUNITY, MARK + "楼间空地改建口袋公园", "居民提议把5号楼与6号楼之间的空地改为小游园。",
        generated=True,
    )  # fmt: skip
    service.schedule(
        session, actor, garden.id, form="online", held_on=today + timedelta(days=7), place="",
        content="请对口袋公园的选址、设施（座椅、健身器材）提出意见。", on=today,
        participants=[("residents", "5号楼、6号楼居民"), ("owners_committee", "业主委员会")],
    )  # fmt: skip
    say(f"generated 2 demo consultations in {COMMUNITY} (marked generated)")
