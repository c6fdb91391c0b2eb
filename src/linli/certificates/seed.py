"""Example entries of a province's list of certificates communities may issue, marked `example` (to be
checked and localised: each province publishes its own 村（社区）出具证明事项清单). Each names a legal basis
that gives the committee itself the act the certificate attests; none of them is on the negative list."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.certificates import repository, service
from linli.certificates.schemas import KindIn

EXAMPLES = [
    KindIn(
        area_code="22", code="ZM-01", name="指定监护人证明",
        legal_basis="《中华人民共和国民法典》第三十一条第一款：对监护人的确定有争议的，由被监护人住所地的居民委员会、"
        "村民委员会或者民政部门指定监护人",
        purpose="对监护人的确定有争议时，证明居民委员会依法指定的监护人",
        sample_text="兹证明：经本居民委员会调查核实，依据《中华人民共和国民法典》第三十一条，指定{details}为{name}的监护人。"
        "特此证明。",
        handling_time="10个工作日（调查核实后）", example=True,
    ),
    KindIn(
        area_code="22", code="ZM-02", name="最低生活保障申请民主评议情况证明",
        legal_basis="《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        purpose="乡镇人民政府（街道办事处）审核最低生活保障申请时，证明居民委员会协助开展的民主评议情况",
        sample_text="兹证明：{name}家庭申请最低生活保障，本居民委员会协助组织了民主评议。评议情况：{details}。特此证明。",
        handling_time="民主评议后3个工作日", example=True,
    ),
    KindIn(
        area_code="22", code="ZM-03", name="居民委员会成员任职证明",
        legal_basis="《中华人民共和国城市居民委员会组织法》第八条；《中华人民共和国村民委员会组织法》第十一条",
        purpose="证明本人经选举担任居民（村民）委员会成员及任期",
        sample_text="兹证明：{name}经选举担任{community}居民委员会{details}。特此证明。",
        handling_time="即时办结", example=True,
    ),
    KindIn(
        area_code="22", code="ZM-04", name="农村村民宅基地申请村级审查意见",
        legal_basis="《中华人民共和国土地管理法》第六十二条；《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》"
        "（农经发〔2019〕6号）",
        purpose="村民申请宅基地时，村民委员会（村集体经济组织）出具审查意见",
        sample_text="兹证明：本村村民{name}申请宅基地，经村民小组讨论、村民委员会审查，意见如下：{details}。特此证明。",
        handling_time="5个工作日", example=True,
    ),
]  # fmt: skip


def load_examples(session: Session, actor: Principal, *, generated: bool = False) -> int:
    """The example entries at the province, where missing; returns how many were added."""
    added = 0
    for k in EXAMPLES:
        if repository.kind_defined(session, k.area_code, k.code) is None:
            service.save_kind(session, actor, k, generated=generated)
            added += 1
    return added
