"""Example catalogue: 28 items communities and streets of Jilin handle, with plausible limits, every one
marked `example` — a province (or county) localises them before they are offered (the statutory limits
follow the national rules where there is one, e.g. 居住证暂行条例 Art. 11, 社会救助暂行办法, 特困人员
认定办法; promised limits are typical of the provinces' lists). Loaded by the demo, or by a catalogue
administrator from the catalogue page."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.services import repository as repo
from linli.services import service
from linli.services.schemas import ItemIn, MaterialIn, StepIn

ID_CARD = MaterialIn(name="居民身份证", original=True)
HUKOU = MaterialIn(name="户口簿", original=True)
PHOTO = MaterialIn(name="近期一寸免冠彩色照片", original=True, count=2)
BANK = MaterialIn(name="银行卡或存折", original=False)
INCOME = MaterialIn(name="家庭收入和财产状况声明及授权核对书", original=True, template="家庭经济状况核对授权书.docx")
DISABILITY = MaterialIn(name="第二代残疾人证", original=True)
DEPTS = {
    "MZ": "民政局",
    "RS": "人力资源和社会保障局",
    "YB": "医疗保障局",
    "GA": "公安分局",
    "CL": "残疾人联合会",
    "TY": "退役军人事务局",
    "WJ": "卫生健康局",
    "SF": "司法局",
}
STREET, COUNTY = "township", "county"


def _steps(*spec) -> list[StepIn]:
    out = []
    for name, unit, level, days, *rest in spec:
        out.append(StepIn(name=name, unit=unit, level=level, days=days, counts=not rest))
    return out


def _form(name: str) -> MaterialIn:
    return MaterialIn(name=f"{name}申请表", original=True, template=f"{name}申请表.docx")


# (sequence, type, department, main name, name, level, statutory, promised, role, online, visits,
#  materials, steps, legal basis, conditions)
ITEMS = (
    (1, "GG", "GA", "居住证办理", "居住证申领", COUNTY, 15, 10, "accept", "apply", 1,
     [ID_CARD, PHOTO, MaterialIn(name="合法稳定住所、就业或就读证明", original=False)],
     _steps(("审核", "辖区派出所", STREET, 5), ("制证签发", "区公安分局", COUNTY, 5)),
     "《居住证暂行条例》第九条、第十一条", "离开常住户口所在地到本市居住半年以上，有合法稳定就业、住所或连续就读之一"),
    (2, "JF", "MZ", "最低生活保障", "城市最低生活保障申请", COUNTY, 30, 20, "accept", "apply", 1,
     [ID_CARD, HUKOU, _form("最低生活保障"), INCOME, BANK],
     _steps(("入户调查、审核", "街道社会事务办", STREET, 10), ("民主评议公示", "街道社会事务办", STREET, 7, "x"),
            ("审批", "区民政局", COUNTY, 10)),
     "《社会救助暂行办法》第九条至第十一条", "共同生活的家庭成员人均收入低于当地低保标准，且财产状况符合规定"),
    (3, "JF", "MZ", "最低生活保障", "农村最低生活保障申请", COUNTY, 30, 20, "accept", "apply", 1,
     [ID_CARD, HUKOU, _form("最低生活保障"), INCOME, BANK],
     _steps(("入户调查、审核", "乡镇社会事务办", STREET, 10), ("审批", "县民政局", COUNTY, 10)),
     "《社会救助暂行办法》第九条至第十一条", "农村户籍，家庭人均收入低于当地农村低保标准"),
    (4, "JF", "MZ", "老年人福利", "高龄津贴申领", COUNTY, 20, 10, "agent", "full", 0,
     [ID_CARD, HUKOU, BANK],
     _steps(("审核", "街道社会事务办", STREET, 5), ("审批", "区民政局", COUNTY, 5)),
     "《中华人民共和国老年人权益保障法》第三十三条", "本地户籍，年满80周岁"),
    (5, "JF", "MZ", "残疾人两项补贴", "困难残疾人生活补贴申领", COUNTY, 20, 15, "agent", "apply", 1,
     [ID_CARD, DISABILITY, HUKOU, _form("残疾人两项补贴"), BANK],
     _steps(("审核", "街道社会事务办", STREET, 5), ("审定", "区民政局", COUNTY, 10)),
     "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
     "低保家庭中的残疾人"),
    (6, "JF", "MZ", "残疾人两项补贴", "重度残疾人护理补贴申领", COUNTY, 20, 15, "agent", "apply", 1,
     [ID_CARD, DISABILITY, HUKOU, _form("残疾人两项补贴"), BANK],
     _steps(("审核", "街道社会事务办", STREET, 5), ("审定", "区民政局", COUNTY, 10)),
     "国发〔2015〕52号", "残疾等级为一级、二级且需要长期照护的重度残疾人"),
    (7, "GG", "RS", "城乡居民基本养老保险", "城乡居民基本养老保险参保登记", STREET, 5, 1, "help", "full", 0,
     [ID_CARD, HUKOU], _steps(("登记", "街道劳动保障所", STREET, 1)),
     "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
     "年满16周岁（不含在校学生），非国家机关和事业单位工作人员，不属于职工基本养老保险覆盖范围"),
    (8, "JF", "RS", "城乡居民基本养老保险", "城乡居民基本养老保险待遇领取", COUNTY, 20, 10, "help", "apply", 1,
     [ID_CARD, HUKOU, BANK],
     _steps(("初审", "街道劳动保障所", STREET, 3), ("核定", "区社会保险事业管理局", COUNTY, 7)),
     "国发〔2014〕8号", "年满60周岁，累计缴费满15年，未领取国家规定的基本养老保障待遇"),
    (9, "GG", "YB", "城乡居民基本医疗保险", "城乡居民基本医疗保险参保登记", STREET, 5, 1, "help", "full", 0,
     [ID_CARD, HUKOU], _steps(("登记", "街道医保服务站", STREET, 1)),
     "《中华人民共和国社会保险法》第二十五条", "未参加职工基本医疗保险的城乡居民"),
    (10, "GG", "RS", "就业失业登记", "就业登记", STREET, 5, 1, "accept", "full", 0,
     [ID_CARD, MaterialIn(name="劳动合同或就业证明", original=False)], _steps(("登记", "街道劳动保障所", STREET, 1)),
     "《就业服务与就业管理规定》第六十二条", "在法定劳动年龄内，已实现就业"),
    (11, "GG", "RS", "就业失业登记", "失业登记", STREET, 5, 1, "accept", "full", 0,
     [ID_CARD, MaterialIn(name="解除或终止劳动关系证明", original=False, required=False)],
     _steps(("登记", "街道劳动保障所", STREET, 1)),
     "《就业服务与就业管理规定》第六十三条", "法定劳动年龄内，有劳动能力和就业要求，处于无业状态"),
    (12, "QR", "RS", "就业援助", "就业困难人员认定", COUNTY, 15, 10, "accept", "apply", 1,
     [ID_CARD, _form("就业困难人员认定")],
     _steps(("初审", "街道劳动保障所", STREET, 5), ("认定", "区就业服务局", COUNTY, 5)),
     "《中华人民共和国就业促进法》第五十二条", "已办理失业登记，且属于本省规定的就业困难人员范围"),
    (13, "JF", "MZ", "临时救助", "临时救助申请", STREET, 20, 10, "accept", "apply", 1,
     [ID_CARD, HUKOU, _form("临时救助"), MaterialIn(name="遭遇困难的证明材料（医疗费单据等）", original=False)],
     _steps(("审核审批", "街道社会事务办", STREET, 10)),
     "《社会救助暂行办法》第四十七条至第五十条；乡镇（街道）审批权下放",
     "因突发事件、意外伤害、重大疾病等导致基本生活暂时困难"),
    (14, "QR", "MZ", "特困人员救助供养", "特困人员认定", COUNTY, 35, 30, "agent", "apply", 1,
     [ID_CARD, HUKOU, _form("特困人员救助供养"), INCOME],
     _steps(("调查审核", "街道社会事务办", STREET, 15), ("审批", "区民政局", COUNTY, 15)),
     "《特困人员认定办法》（民发〔2021〕43号）第十五条至第二十条",
     "无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其无履行能力"),
    (15, "JF", "MZ", "医疗救助", "医疗救助申请", COUNTY, 20, 15, "accept", "apply", 1,
     [ID_CARD, HUKOU, MaterialIn(name="医疗费用票据及费用清单", original=True), BANK],
     _steps(("审核", "街道社会事务办", STREET, 5), ("审批", "区医疗保障局", COUNTY, 10)),
     "《社会救助暂行办法》第二十八条", "低保对象、特困人员及其他因病致贫的困难群众"),
    (16, "QR", "MZ", "低收入人口认定", "低保边缘家庭认定", COUNTY, 30, 20, "accept", "apply", 1,
     [ID_CARD, HUKOU, INCOME], _steps(("调查审核", "街道社会事务办", STREET, 10), ("审批", "区民政局", COUNTY, 10)),
     "《最低生活保障边缘家庭和刚性支出困难家庭认定办法》", "不符合低保条件，家庭人均收入低于当地低保标准1.5倍"),
    (17, "QR", "CL", "残疾人证办理", "残疾人证申领", COUNTY, 30, 20, "agent", "apply", 2,
     [ID_CARD, HUKOU, PHOTO, _form("残疾人证")],
     _steps(("初审", "街道残联", STREET, 3), ("残疾评定", "指定医疗机构", COUNTY, 20, "x"),
            ("审核发证", "区残疾人联合会", COUNTY, 10)),
     "《中华人民共和国残疾人证管理办法》第九条", "符合残疾标准的本地户籍居民"),
    (18, "GG", "CL", "残疾人康复服务", "残疾人辅助器具适配申请", COUNTY, 30, 20, "help", "apply", 1,
     [ID_CARD, DISABILITY, _form("辅助器具适配")],
     _steps(("评估", "街道残联", STREET, 5), ("适配审批", "区残疾人联合会", COUNTY, 15)),
     "《残疾预防和残疾人康复条例》第二十六条", "持证残疾人，经评估需要适配辅助器具"),
    (19, "GG", "TY", "退役军人优待", "退役军人优待证申领", COUNTY, 20, 10, "agent", "apply", 1,
     [ID_CARD, PHOTO, MaterialIn(name="退出现役证明", original=True)],
     _steps(("审核", "街道退役军人服务站", STREET, 5), ("审核制发", "区退役军人事务局", COUNTY, 5)),
     "《中华人民共和国退役军人保障法》第六十二条；《退役军人、其他优抚对象优待证管理办法》", "退役军人和其他优抚对象"),
    (20, "JF", "TY", "优抚对象抚恤补助", "重点优抚对象定期抚恤补助申领", COUNTY, 30, 20, "agent", "apply", 1,
     [ID_CARD, HUKOU, MaterialIn(name="优抚对象身份证明", original=True), BANK],
     _steps(("审核", "街道退役军人服务站", STREET, 10), ("审批", "区退役军人事务局", COUNTY, 10)),
     "《军人抚恤优待条例》第三十三条", "在乡老复员军人、带病回乡退伍军人、参战参试退役人员等重点优抚对象"),
    (21, "JF", "WJ", "计划生育家庭扶助", "农村部分计划生育家庭奖励扶助申请", COUNTY, 40, 30, "accept", "apply", 1,
     [ID_CARD, HUKOU, _form("奖励扶助")],
     _steps(("初审公示", "乡镇卫生健康办", STREET, 15), ("审批", "县卫生健康局", COUNTY, 15)),
     "《中华人民共和国人口与计划生育法》第二十七条", "农村户籍，只有一个子女或两个女孩，年满60周岁"),
    (22, "JF", "WJ", "计划生育家庭扶助", "计划生育特别扶助申请", COUNTY, 40, 30, "agent", "apply", 1,
     [ID_CARD, HUKOU, _form("特别扶助"), MaterialIn(name="独生子女死亡或伤残证明", original=True)],
     _steps(("初审公示", "街道卫生健康办", STREET, 15), ("审批", "区卫生健康局", COUNTY, 15)),
     "《中华人民共和国人口与计划生育法》第二十七条", "独生子女死亡或伤残、女方年满49周岁的夫妻"),
    (23, "GG", "WJ", "生育服务", "生育登记", STREET, 5, 1, "help", "full", 0,
     [ID_CARD, MaterialIn(name="结婚证", original=False, required=False)],
     _steps(("登记", "街道卫生健康办", STREET, 1)),
     "《中华人民共和国人口与计划生育法》", "依法生育的夫妻"),
    (24, "GG", "MZ", "老年人福利", "老年人优待证办理", STREET, 10, 5, "agent", "full", 0,
     [ID_CARD, PHOTO], _steps(("审核制证", "街道社会事务办", STREET, 5)),
     "《中华人民共和国老年人权益保障法》第五十七条", "年满60周岁的老年人"),
    (25, "JF", "MZ", "殡葬服务", "基本殡葬服务费用减免申请", COUNTY, 10, 5, "agent", "apply", 1,
     [ID_CARD, MaterialIn(name="死亡证明", original=True), MaterialIn(name="火化证明", original=True)],
     _steps(("审核", "街道社会事务办", STREET, 2), ("审批", "区民政局", COUNTY, 3)),
     "《殡葬管理条例》；民政部等关于推行惠民殡葬政策的指导意见", "本地户籍居民死亡后遗体火化"),
    (26, "QR", "GA", "户籍管理", "居民身份证换领", COUNTY, 60, 30, "accept", "apply", 2,
     [ID_CARD, HUKOU], _steps(("受理审核", "辖区派出所", STREET, 3), ("制证", "市公安局制证中心", COUNTY, 20)),
     "《中华人民共和国居民身份证法》第十条", "居民身份证有效期满或登记项目有误"),
    (27, "GG", "SF", "法律援助", "法律援助申请", COUNTY, 7, 5, "help", "apply", 1,
     [ID_CARD, _form("法律援助"), MaterialIn(name="经济困难状况说明表", original=True)],
     _steps(("审查决定", "区法律援助中心", COUNTY, 5)),
     "《中华人民共和国法律援助法》第四十三条", "因经济困难没有委托代理人，且属于法律援助事项范围"),
    (28, "JF", "MZ", "儿童福利", "困境儿童基本生活补贴申请", COUNTY, 30, 20, "agent", "apply", 1,
     [ID_CARD, HUKOU, _form("困境儿童保障"), BANK],
     _steps(("调查审核", "街道社会事务办", STREET, 10), ("审批", "区民政局", COUNTY, 10)),
     "《国务院关于加强困境儿童保障工作的意见》（国发〔2016〕36号）", "父母双方重残、重病或失联等的困境儿童"),
)  # fmt: skip


def example_items(area_code: str = "22") -> list[ItemIn]:
    """The example catalogue as items of `area_code` (a province, city or county)."""
    out = []
    for row in ITEMS:
        seq, kind, dept, main, name, level, statutory, promised, role, online, visits, mats, steps, basis, cond = row
        unit = steps[-1].unit
        out.append(
            ItemIn(
                area_code=area_code,
                basic_code=f"{kind}-{dept}-{seq:05d}",
                main_name=main,
                name=name,
                item_type=kind,
                department=DEPTS[dept],
                department_code=dept,
                implementing_unit=unit,
                level=level,
                legal_basis=basis,
                conditions=cond,
                materials=mats,
                steps=steps,
                statutory_days=statutory,
                promised_days=promised,
                online_depth=online,
                max_visits=visits,
                consult_phone="12345",
                complaint_phone="12345",
                community_role=role,
                example=True,
            )
        )
    return out


def load_examples(session: Session, principal: Principal, area_code: str = "22") -> int:
    """Define the example items at an area where none of them is defined yet; returns how many."""
    items = example_items(area_code)
    have = repo.items_by_code(session, [i.basic_code for i in items])
    for data in items:
        if data.basic_code not in have:
            service.save_item(session, principal, data)
    return len(items) - len(have)
