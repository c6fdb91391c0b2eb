"""Demo responsibility list (marked generated): 南岭街道 of 南关区 with a few dozen duties of the three
kinds, written after the published township lists' shape but not copied from any one of them; one change
approved (version 2), one request waiting for the county; duties linked to event categories and service
items, others left out so the report of duties pushed down without a list entry has rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.duties import repository, service
from linli.duties.schemas import ChangeIn, DutyIn, LinkIn, ListIn, ReviewIn

STREET = "220102001"  # 南岭街道, 南关区
MARK = "（演示数据）"
OFFICE = {
    "party": "党建工作办公室",
    "economy": "经济发展办公室",
    "livelihood": "社会事务办公室",
    "safety": "平安建设办公室",
    "construction": "城市管理办公室",
    "environment": "城市管理办公室",
    "governance": "社区建设办公室",
}
# (code, category, content, legal basis)
BASIC = [
    (
        "J-001",
        "party",
        "加强街道党工委自身建设，领导社区党组织和辖区党建工作",
        "《中国共产党党和国家机关基层组织工作条例》",
    ),
    ("J-002", "party", "做好党员发展、教育、管理和监督工作", "《中国共产党发展党员工作细则》"),
    ("J-003", "party", "推进区域化党建，组织党建联盟成员单位共驻共建", "《中国共产党组织工作条例》"),
    ("J-004", "economy", "做好辖区经济运行情况统计和企业服务工作", "《中华人民共和国统计法》"),
    ("J-005", "economy", "开展招商引资和楼宇经济服务", ""),
    ("J-006", "livelihood", "受理最低生活保障申请，开展家庭经济状况调查和审核", "《社会救助暂行办法》第十一条"),
    ("J-007", "livelihood", "受理特困人员供养申请并开展调查审核", "《社会救助暂行办法》第十九条"),
    ("J-008", "livelihood", "受理临时救助申请，对急难情形先行救助", "《社会救助暂行办法》第四十八条"),
    ("J-009", "livelihood", "开展高龄津贴等老年人福利申请受理和审核", "《中华人民共和国老年人权益保障法》"),
    ("J-010", "livelihood", "开展就业创业服务和就业困难人员援助", "《中华人民共和国就业促进法》"),
    ("J-011", "livelihood", "做好退役军人服务保障工作", "《中华人民共和国退役军人保障法》"),
    ("J-012", "safety", "组织开展矛盾纠纷排查化解和人民调解工作", "《中华人民共和国人民调解法》"),
    ("J-013", "safety", "落实安全生产属地管理责任，开展隐患排查", "《中华人民共和国安全生产法》第七十九条"),
    ("J-014", "safety", "做好辖区消防安全宣传和防火检查", "《中华人民共和国消防法》第三十二条"),
    ("J-015", "safety", "组织开展自然灾害应急处置和转移安置", "《中华人民共和国突发事件应对法》"),
    ("J-016", "construction", "做好辖区市容环境卫生管理", "《城市市容和环境卫生管理条例》"),
    ("J-017", "construction", "开展违法建设巡查、发现、报告和制止", "《中华人民共和国城乡规划法》第六十八条"),
    ("J-018", "environment", "组织开展爱国卫生运动和生活垃圾分类", "《吉林省城乡生活垃圾分类管理办法》"),
    (
        "J-019",
        "governance",
        "指导社区居民委员会开展工作，组织社区居民委员会换届选举",
        "《中华人民共和国城市居民委员会组织法》第二条",
    ),
    ("J-020", "governance", "推进网格化服务管理，组织网格员开展巡查", ""),
    ("J-021", "governance", "指导社区开展居务公开和民主协商", "《中华人民共和国城市居民委员会组织法》"),
]
# (code, category, content, upper department, its duty, the street's assisting duty)
ASSISTING = [
    (
        "P-001",
        "safety",
        "协助开展食品安全监督检查",
        "区市场监督管理局",
        "负责辖区食品安全监督管理",
        "发现并报告食品安全隐患，配合开展检查",
    ),
    (
        "P-002",
        "safety",
        "协助开展禁毒宣传和社区戒毒社区康复",
        "区公安分局",
        "负责禁毒工作",
        "组织禁毒宣传，落实社区戒毒社区康复措施",
    ),
    (
        "P-003",
        "construction",
        "协助开展老旧小区改造",
        "区住房和城乡建设局",
        "负责老旧小区改造项目实施",
        "征求居民意见，协调施工中的矛盾",
    ),
    (
        "P-004",
        "environment",
        "协助开展大气污染防治",
        "市生态环境局南关区分局",
        "负责大气污染防治监督管理",
        "巡查发现露天焚烧等行为并报告",
    ),
    (
        "P-005",
        "livelihood",
        "协助开展城乡居民医疗保险参保登记",
        "区医疗保障局",
        "负责医疗保险参保管理",
        "宣传动员并受理参保登记",
    ),
    (
        "P-006",
        "livelihood",
        "协助开展残疾人证办理和两项补贴发放",
        "区残疾人联合会",
        "负责残疾人证核发",
        "受理申请、初审并转报",
    ),
    ("P-007", "economy", "协助开展经济普查和人口普查", "区统计局", "负责组织普查", "选聘普查员，组织入户登记"),
    ("P-008", "safety", "协助开展征兵工作", "区人民武装部", "负责征兵", "组织兵役登记和宣传"),
]
# (code, category, content, receiving department, working mode)
TAKEN_BACK = [
    ("S-001", "construction", "城市道路挖掘许可", "区城市管理局", "街道发现未经许可挖掘的，报告区城市管理局"),
    ("S-002", "safety", "危险化学品经营许可的现场核查", "区应急管理局", "街道配合提供辖区企业底数"),
    ("S-003", "economy", "个体工商户登记", "区市场监督管理局", "街道便民服务中心提供帮办代办"),
    ("S-004", "environment", "建设项目环境影响评价审批", "市生态环境局南关区分局", "街道发现未批先建的，报告分局"),
]
# duty code → event categories (a 大类 covers its 小类) and service items (basic codes) that discharge it.
LINKS = {
    "J-006": ("0801", "JF-MZ-00002"),
    "J-009": ("0802", "JF-MZ-00004"),
    "J-010": ("0803", None),
    "J-012": ("0601", None),
    "J-016": ("03", None),
    "J-017": ("0501", None),
    "P-005": (None, "GG-YB-00009"),
}


def _duties() -> list[DutyIn]:
    out = [
        DutyIn(code=c, kind="basic", category=cat, content=text, legal_basis=basis, lead_unit=OFFICE[cat])
        for c, cat, text, basis in BASIC
    ]
    out += [
        DutyIn(code=c, kind="assisting", category=cat, content=text, upper_department=dept, upper_duty=duty,
               assisting_duty=part, lead_unit=OFFICE[cat], cooperating_units="各社区居民委员会")
        for c, cat, text, dept, duty, part in ASSISTING
    ]  # fmt: skip
    out += [
        DutyIn(code=c, kind="taken_back", category=cat, content=text, receiving_department=dept, working_mode=mode)
        for c, cat, text, dept, mode in TAKEN_BACK
    ]
    return out


def _links(session: Session, actor: Principal) -> None:
    from linli.services import repository as services_repo

    for code, (category, item_code) in LINKS.items():
        if category and repository.event_category(session, category):
            service.link(session, actor, STREET, LinkIn(duty_code=code, event_category_code=category), generated=True)
        item = services_repo.item_by_code(session, item_code) if item_code else None
        if item is not None:
            service.link(session, actor, STREET, LinkIn(duty_code=code, service_item_id=item.id), generated=True)


def step(session: Session, actor: Principal, say) -> None:
    """The demo street's list (version 1 a year ago, version 2 approved), links, and one pending request."""
    if repository.list_at(session, STREET) is not None:
        return
    start = service.today() - timedelta(days=365)
    data = ListIn(area_code=STREET, title=f"南岭街道履职事项清单{MARK}", effective_from=start,
                  note="区委编办审核（演示数据）", duties=_duties())  # fmt: skip
    row = service.establish_list(session, actor, data, generated=True)
    added = DutyIn(code="J-022", kind="basic", category="governance", content="组织开展社区协商议事和居民公约修订",
                   legal_basis="《关于加强城乡社区协商的意见》", lead_unit=OFFICE["governance"])  # fmt: skip
    first = service.file_change(
        session,
        actor,
        STREET,
        ChangeIn(action="add", duty_code="J-022", duty=added, reason=f"新增社区协商职责{MARK}"),
        generated=True,
    )
    service.review(session, actor, first.id, ReviewIn(decision="approve", note="同意（演示数据）"))
    pending = ChangeIn(action="cancel", duty_code="J-005", reason=f"招商引资不再作为街道考核事项{MARK}")
    service.file_change(session, actor, STREET, pending, generated=True)
    _links(session, actor)
    say(f"generated the responsibility list of street {STREET}: {len(data.duties) + 1} duties, version {row.version}, "
        "one request pending (marked generated)")  # fmt: skip
