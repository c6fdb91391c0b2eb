"""Demo conventions (marked generated): 西关村村规民约 of 农安县, version 1 in force (adopted by the
villagers' meeting in 2025 under the 2018 text, filed, published) and version 2 under the township's
review with the villagers' opinions recorded."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.conventions import repository, service
from linli.conventions.schemas import AdoptIn
from linli.kit.time import BEIJING

VILLAGE = "220122001202"  # 西关村委会, 农安县
TEXT_2025 = """第一条 爱护公共设施，不损坏村道、路灯、水利设施。
第二条 房前屋后保持整洁，垃圾分类定点投放。
第三条 红白喜事从简，不大操大办。
第四条 禽畜圈养，不散养。
第五条 邻里和睦，纠纷先由调解委员会调解。"""
TEXT_2026 = TEXT_2025.replace("不大操大办。", "不大操大办，宴席不超过十桌。").replace(
    "纠纷先由调解委员会调解。", "纠纷先由调解委员会调解。\n第六条 秸秆不露天焚烧，春季防火期内不在林地用火。"
)


def step(session: Session, actor: Principal, say) -> None:
    """A village regulation in force and its revision under review, in 西关村委会 (marked generated)."""
    if repository.generated_count(session):
        return
    c = service.create(session, actor, VILLAGE, "（演示数据）西关村村规民约", TEXT_2025)
    c.generated = True
    (v1,) = repository.versions_of(session, c.id)
    service.give_opinion(session, actor, v1.id, "建议把禽畜圈养写进去。", "第二村民小组座谈会")
    service.save_draft(session, actor, v1.id, TEXT_2025)
    service.submit(session, actor, v1.id)
    service.review(session, actor, v1.id, "approve", "")
    v1.reviewed_at = datetime(2025, 6, 10, 9, 0, tzinfo=BEIJING)  # the demo's history: reviewed in June 2025
    data = AdoptIn(
        body="villagers_meeting",
        adopted_on=date(2025, 6, 20),
        attendance_expected=612,
        attendance_present=398,
        women_present=171,
        meeting_ref="2025年第2次村民会议",
    )
    service.adopt(session, actor, v1.id, data, on=date(2025, 6, 20))
    service.file(session, actor, v1.id, date(2025, 7, 3), on=date(2025, 7, 3))
    service.publish(session, actor, v1.id, on=date(2025, 7, 6))
    v2 = service.revise(session, actor, c.id)
    for text, source in (("宴席桌数应有上限。", "第一村民小组座谈会"), ("春季防火要写进村规。", "意见箱")):
        service.give_opinion(session, actor, v2.id, text, source)
    service.save_draft(session, actor, v2.id, TEXT_2026)
    service.submit(session, actor, v2.id)
    v2.submitted_at = v2.submitted_at - timedelta(days=2)
    say(f"generated a demo village regulation in {VILLAGE}: version 1 in force, version 2 under review")
