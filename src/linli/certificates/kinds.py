"""The national negative list: certificates residents' and villagers' committees must not issue.

Source: 民政部、国家发展改革委、公安部、司法部、人力资源社会保障部、国家卫生健康委《关于改进和规范基层群众性
自治组织出具证明工作的指导意见》(民发〔2020〕20号, 2020-04), its annex《不应由基层群众性自治组织出具证明
事项清单（第一批）》, 20 items. The twenty names below were checked against two published copies of the list
(the Ministry's text as republished at mzj.cnbz.gov.cn/zdxx/flfg/15366031.html, and the reports at
guanhai.com.cn/p/28565.html and handmsg.com/page/2020/0511/7993567.shtml, retrieved 2026-12-05).

The alternative channel of each item (where the resident goes instead) was NOT checked against the annex:
it is written from the departments' general remit and marked `channel_verified=False` until someone compares
it with the annex's own wording. A province may add items (湖北's list has 21); add them here with their source.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "民发〔2020〕20号《不应由基层群众性自治组织出具证明事项清单（第一批）》"
SOURCE_EN = (
    "Circular MCA [2020] No. 20, annex: certificates residents' and villagers' committees must not issue (batch 1)"
)


@dataclass(frozen=True)
class Refused:
    """One item of the negative list: its place in the list, its name, and where to go instead."""

    number: int
    name: str
    channel: str
    channel_verified: bool = False

    @property
    def code(self) -> str:
        return f"NEG-{self.number:02d}"


NEGATIVE_LIST: tuple[Refused, ...] = (
    Refused(1, "亲属关系证明", "以户口簿、结婚证、出生医学证明等证件证明；无法证明的由公安机关户籍管理部门依法核查"),
    Refused(2, "居民身份信息证明", "以居民身份证、户口簿证明；由公安机关（派出所）办理"),
    Refused(3, "户口登记项目内容变更申请证明", "由公安机关户籍管理部门依据有关证明材料办理"),
    Refused(4, "居民养犬证明", "向公安机关或当地养犬管理部门办理养犬登记"),
    Refused(5, "无犯罪记录证明", "向公安机关（户籍所在地或居住地派出所）申请开具"),
    Refused(6, "社区戒毒社区康复人员情况证明（表现证明）", "由乡镇（街道）社区戒毒社区康复工作机构出具"),
    Refused(7, "人员失踪证明", "向公安机关报案取得回执；宣告失踪向人民法院申请"),
    Refused(8, "婚姻状况证明", "持婚姻登记证件；需要查询登记档案的向婚姻登记机关申请，或由本人书面声明"),
    Refused(9, "出生证明", "由助产机构签发《出生医学证明》"),
    Refused(10, "健在证明", "由社会保险经办机构通过信息比对或生存认证办理"),
    Refused(11, "死亡证明", "由医疗卫生机构出具死亡医学证明；非正常死亡由公安机关出具"),
    Refused(12, "疾病状况证明", "由医疗机构出具诊断证明"),
    Refused(13, "残疾状况证明", "以残疾人证证明，由残疾人联合会核发；需鉴定的由有资质的鉴定机构出具"),
    Refused(14, "婚育状况证明", "由本人书面承诺，或向卫生健康部门查询"),
    Refused(15, "居民就业状况证明", "由人力资源社会保障部门依据就业失业登记出具"),
    Refused(16, "居民个人档案证明", "向保管档案的机构（人才服务机构、用人单位）申请"),
    Refused(17, "居民财产证明", "向不动产登记机构、金融机构等申请查询或出具"),
    Refused(18, "遗产继承权证明", "向公证机构申请继承公证，或向人民法院起诉确认"),
    Refused(19, "市场主体住所证明", "向市场监督管理部门办理住所（经营场所）申报承诺"),
    Refused(20, "证件遗失证明", "向原发证机关办理挂失补办，或登报声明"),
)
BY_CODE = {r.code: r for r in NEGATIVE_LIST}


def refused_named(text: str) -> Refused | None:
    """The negative-list item a request names (its code, or its name within the words asked for), or None."""
    text = (text or "").strip()
    if text in BY_CODE:
        return BY_CODE[text]
    for r in NEGATIVE_LIST:
        core = r.name.split("（")[0]
        if core and core in text:
            return r
    return None


# The kinds a province or city list (and a county's local additions) may be defined at.
DEFINING_LENGTHS = (2, 4, 6)
