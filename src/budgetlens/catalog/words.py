"""The words budget and final-account tables are printed with: their titles, headers and the
labels of rows without codes. What OCR reads a character off of (台计, 本年文出合计, 决佐数) is
put back to the one of these it can only be (chunk/ocr_words.py)."""

from __future__ import annotations

from functools import lru_cache

from budgetlens.catalog.tables import KINDS

HEADERS = (
    "项目", "科目编码", "科目名称", "功能分类科目编码", "经济分类科目编码", "功能分类", "经济分类",
    "科目代码", "类", "款", "项", "栏次", "行次", "金额", "决算数", "预算数", "年初预算数", "调整预算数",
    "全年预算数", "合计", "小计", "总计", "收入", "支出", "人员经费", "公用经费", "本年收入", "本年支出",
    "年初结转和结余", "年末结转和结余", "基本支出", "项目支出", "财政拨款", "单位名称", "部门名称",
    "上年结转", "结转结余", "指标值", "实际完成值", "一级指标", "二级指标", "三级指标", "分值", "得分",
)
ROWS = (
    "本年收入合计", "本年支出合计", "使用非财政拨款结余", "结余分配", "年初财政拨款结转和结余",
    "年末财政拨款结转和结余", "人员经费合计", "公用经费合计", "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入", "事业收入", "经营收入",
    "附属单位上缴收入", "其他收入", "财政拨款收入", "上缴上级支出", "经营支出", "对附属单位补助支出",
    "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款",
    # function classes (类), as the national classification names them
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出",
    "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出",
    "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出",
    "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出",
    "抗疫特别国债安排的支出",
    # economic classes (3 digits) and the items most tables print
    "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出", "基本工资", "津贴补贴", "奖金",
    "伙食补助费", "绩效工资", "机关事业单位基本养老保险缴费", "职业年金缴费", "职工基本医疗保险缴费",
    "公务员医疗补助缴费", "其他社会保障缴费", "住房公积金", "医疗费", "其他工资福利支出", "办公费",
    "印刷费", "咨询费", "手续费", "水费", "电费", "邮电费", "取暖费", "物业管理费", "差旅费",
    "因公出国（境）费用", "维修（护）费", "租赁费", "会议费", "培训费", "公务接待费", "专用材料费",
    "被装购置费", "专用燃料费", "劳务费", "委托业务费", "工会经费", "福利费", "公务用车运行维护费",
    "其他交通费用", "税金及附加费用", "其他商品和服务支出", "离休费", "退休费", "退职（役）费", "抚恤金",
    "生活补助", "救济费", "医疗费补助", "助学金", "奖励金", "个人农业生产补贴", "代缴社会保险费",
    "其他对个人和家庭的补助", "房屋建筑物购建", "办公设备购置", "专用设备购置", "信息网络及软件购置更新",
    "公务用车购置", "其他交通工具购置", "文物和陈列品购置", "无形资产购置", "其他资本性支出",
    "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费",
)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every title, header part and row label above, and every table kind's titles and headers."""
    words = set(HEADERS) | set(ROWS)
    for kind in KINDS:
        words |= {kind.name, *kind.aliases}
        words |= {part for spec in kind.columns for header in spec.headers for part in header.split(".")}
        words |= set(kind.sides or ())
    return frozenset(w for w in words if len(w) >= 2)
