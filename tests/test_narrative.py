"""The narrative (情况说明) reader, on sentences copied from the seed documents and DOMAIN.md."""

from budgetlens.extract.narrative import NarrativeFact, join_paragraphs, read_facts


def kinds(facts: list[NarrativeFact]) -> list[str]:
    return [f.kind for f in facts]


def test_total_and_year_on_year_change() -> None:
    text = (
        "2020 年度收、支总计 504.77 万元。与 2019 年度相比，收、支总计各减少 212.28 万元，下降 29.6%，"
        "主要原因是受新冠疫情的影响。"
    )
    facts = read_facts(text)
    assert kinds(facts) == ["amount", "change"]
    amount, change = facts
    assert amount.subject == "收、支总计" and amount.amount == "504.77"
    assert change.subject == "收、支总计"
    assert change.amount == "504.77" and change.change == "-212.28" and change.percent == "-29.6"
    assert change.prior == "717.05"
    assert text[amount.span[0] : amount.span[1]] == "2020 年度收、支总计 504.77 万元"
    assert text[change.span[0] : change.span[1]] == "收、支总计各减少 212.28 万元，下降 29.6%"


def test_share_of_this_years_expenditure() -> None:
    text = (
        "2020 年度支出合计 504.77 万元。其中：基本支出 217.74 万元，占本年支出 43.1%；"
        "项目支出 287.03 万元，占本年支出 56.9%。"
    )
    facts = read_facts(text)
    assert kinds(facts) == ["amount", "share", "share"]
    total, basic, project = facts
    assert basic.subject == "基本支出" and basic.amount == "217.74" and basic.percent == "43.1"
    assert basic.base == "本年支出"
    assert project.amount == "287.03" and project.percent == "56.9"
    assert basic.list_id == project.list_id == total.list_id is not None
    assert total.list_role == "total" and basic.list_role == "item" and basic.partial is True


def test_share_of_section_total() -> None:
    text = (
        "2020 年度财政拨款支出 504.77 万元，主要用于以下方面：科学技术(类)支出 399.22 万元，占 79.1%；\n\n"
        "社会保障和就业(类)支出 54.77 万元，占 10.9%；\n\n卫生健康(类)支出 32.53 万元，占 6.4%；\n\n"
        "住房保障(类)支出 18.25 万元，占 3.6%。"
    )
    facts = read_facts(text)
    shares = [f for f in facts if f.kind == "share"]
    assert [f.subject for f in shares] == [
        "科学技术(类)支出",
        "社会保障和就业(类)支出",
        "卫生健康(类)支出",
        "住房保障(类)支出",
    ]
    assert [f.percent for f in shares] == ["79.1", "10.9", "6.4", "3.6"]
    assert shares[0].base is None
    assert facts[0].list_role == "total" and facts[0].amount == "504.77"
    assert text[shares[1].span[0] : shares[1].span[1]] == "社会保障和就业(类)支出 54.77 万元，占 10.9%"


def test_execution() -> None:
    text = (
        "1. 科学技术支出。年初预算为 466.80 万元，支出决算为 399.22 万元，完成年初预算的 85.5%，"
        "支出决算数小于年初预算数的主要原因是受新冠疫情的影响，减少了科普宣传活动。"
    )
    (fact,) = read_facts(text)
    assert fact.kind == "execution" and fact.subject == "科学技术支出"
    assert (fact.budget, fact.amount, fact.percent) == ("466.80", "399.22", "85.5")


def test_execution_zero_budget_wrapped_lines() -> None:
    # Hongshan 2022, line breaks as extracted
    text = (
        "4.科学技术支出（类）科学技术普及（款）其他科学技\n\n术普及支出（项）。年初预算为 0 万元，"
        "支出决算为 8 万元，\n\n"
        "完成年初预算的 100.0%，支出决算数大于年初预算数的主要\n\n原因是收到上级调剂资金。"
    )
    (fact,) = read_facts(text)
    assert fact.kind == "execution"
    assert fact.subject == "科学技术支出（类）科学技术普及（款）其他科学技术普及支出（项）"
    assert (fact.budget, fact.amount, fact.percent) == ("0", "8", "100.0")


def test_execution_hongshan_list_of_items() -> None:
    text = (
        "2022 年度一般公共预算财政拨款支出年初预算为\n\n444.71 万元，支出决算为 447.20 万元，"
        "完成年初预算的\n\n"
        "100.6%。其中：\n\n1.一般公共服务支出（类）群众团体事务（款）一般行\n\n政管理事务（项）。"
        "年初预算为 0 万元，"
        "支出决算为 42.5\n\n万元，完成年初预算的 100.0 %，"
        "支出决算数大于年初预算\n\n数的主要原因是收到团委调剂的群团服务款项。\n\n"
        "10. 住房保障支出（类）住房改革支出（款）购房补贴\n\n（项）。年初预算为 1.8 万元，"
        "支出决算为 1.6 万元，完成\n\n"
        "年初预算的 88.8%，支出决算数小于年初预算数的主要原因\n\n是人员调动。"
    )
    facts = read_facts(text)
    assert kinds(facts) == ["execution", "execution", "execution"]
    total, first, last = facts
    assert total.list_role == "total" and first.list_role == last.list_role == "item"
    assert total.list_id == first.list_id == last.list_id
    assert first.subject == "一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）"
    assert (first.budget, first.amount, first.percent) == ("0", "42.5", "100.0")
    assert (last.budget, last.amount, last.percent) == ("1.8", "1.6", "88.8")


def test_change_same_sentence() -> None:
    text = (
        "2020 年度武汉市江汉区科学技术协会机关运行经费支出 18.38 万元，比 2019 年度增加 5.81 万元，"
        "增长 46.2%。"
        "主要原因是疫情期间服务一线医护人员，在定点酒店值守所产生的支出。"
    )
    (fact,) = read_facts(text)
    assert fact.kind == "change" and fact.subject == "机关运行经费支出"
    assert (fact.amount, fact.change, fact.percent, fact.prior) == ("18.38", "5.81", "46.2", "12.57")


def test_change_without_unit_and_budget_year() -> None:
    text = (
        "科学技术支出(类)科学技术普及(款)科普活动\n\n(项)2025 年预算数 455.04 万元，"
        "比 2024 年预算减少 12.46，\n\n"
        "下降 2.67%，主要是：2025 年聘用人员工资列支到业务补助"
    )
    (fact,) = read_facts(text)
    assert fact.kind == "change" and fact.subject == "科学技术支出(类)科学技术普及(款)科普活动(项)"
    assert (fact.amount, fact.change, fact.percent, fact.prior) == ("455.04", "-12.46", "-2.67", "467.50")
    assert fact.note and "unit" in fact.note


def test_flat_is_zero_change() -> None:
    (fact,) = read_facts(
        "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）2025 年预算数 7.66万元，"
        "与 2024 年预算持平。"
    )
    assert fact.kind == "change" and fact.change == "0" and fact.prior == "7.66" and fact.amount == "7.66"


def test_missing_number() -> None:
    text = (
        "2.公务用车购置及运行费预算为 0 万元，支出决算为\n\n万元，完成预算的 0%；决算数较上年增加 0 万元，"
        "增长 0.0%。"
    )
    facts = read_facts(text)
    missing = [f for f in facts if f.kind == "missing_number"]
    assert len(missing) == 1 and missing[0].unit == "万元"
    assert text[missing[0].span[0] : missing[0].span[1]] == "支出决算为\n\n万元"
    execution = next(f for f in facts if f.kind == "execution")
    assert execution.budget == "0" and execution.amount is None and execution.percent == "0"


def test_placeholders_are_skipped() -> None:
    facts = read_facts("2020 年度收入合计 XXX 万元，占本年收入 XX%。其中：基本支出 XX.XX 万元。")
    assert facts == []
    (real,) = read_facts("基本支出 217.74 万元，占本年支出 XX%。")
    assert real.kind == "amount" and real.amount == "217.74"


def test_list_partial_flags() -> None:
    facts = read_facts(
        "2025 年政府采购预算支出合计 135.1 万元。其中：货物类 0.1 万元，工程类 0万元，服务类 135万元。"
    )
    items = [f for f in facts if f.list_role == "item"]
    assert [f.subject for f in items] == ["货物类", "工程类", "服务类"]
    assert all(f.partial for f in items)
    facts = read_facts("2023 年部门支出预算 192.83 万元，分别为：基本支出 138.83 万元，项目支出 54 万元。")
    items = [f for f in facts if f.list_role == "item"]
    assert len(items) == 2 and not any(f.partial for f in items)


def test_list_does_not_swallow_next_paragraph() -> None:
    text = (
        "2022年度一般公共预算财政拨款基本支出232.95万元，\n\n其中：\n\n人员经费 206.45 万元，"
        "主要包括：基本工资、津贴补\n\n"
        "贴。\n\n公用经费 26.5 万元，主要包括：办公费、电费。"
        "\n\n七、政府性基金预算财政拨款收入支出决算情况说明\n\n"
        "本部门 2022 年度机关运行经费支出 26.5 万元，比上年决算数减少 6.89 万元，降低 20.6%。"
    )
    facts = read_facts(text)
    assert [(f.subject, f.list_role) for f in facts] == [
        ("一般公共预算财政拨款基本支出", "total"),
        ("人员经费", "item"),
        ("公用经费", "item"),
        ("机关运行经费支出", None),
    ]
    assert facts[-1].kind == "change" and facts[-1].prior == "33.39"


def test_units_normalised_to_wan() -> None:
    (a,) = read_facts("政府采购支出总额 123,456 元。")
    assert a.amount == "12.3456" and a.unit == "元" and a.amount_printed == "123,456元"
    (b,) = read_facts("项目资金 1.2 亿元。")
    assert b.amount == "12000" and b.unit == "亿元"


def test_percentage_of_a_named_subject_is_a_rate() -> None:
    (fact,) = read_facts("截止2020年，我区居民具备基本科学素质比例已达13.5%。")
    assert (fact.kind, fact.subject, fact.percent, fact.bound) == (
        "rate",
        "我区居民具备基本科学素质比例",
        "13.5",
        None,
    )
    (low, high) = read_facts("满意度达到85.0%以上，差错率低于5.0%。")
    assert (low.subject, low.percent, low.bound) == ("满意度", "85.0", "at_least")
    assert (high.subject, high.percent, high.bound) == ("差错率", "5.0", "below")


def test_percentage_naming_nothing_is_unparsed() -> None:
    facts = read_facts("其中，13.5%。")
    assert kinds(facts) == ["unparsed"] and facts[0].percent == "13.5"


def test_heading_does_not_leak_into_subject() -> None:
    text = "六、一般公共预算财政拨款基本支出决算情况说明\n\n公用经费 26.5 万元。"
    (fact,) = read_facts(text)
    assert fact.subject == "公用经费"


def test_share_without_amount_is_unparsed() -> None:
    facts = read_facts("占本年支出 43.1%。")
    assert kinds(facts) == ["unparsed"]


def test_completion_rate_is_of_the_budget_it_names() -> None:
    # Putuo 2024: 年初预算 0, 全年预算 321.02, "完成年初预算的95.89%" (which is 307.82 / 321.02)
    text = (
        "一般公共预算财政拨款支出年初预算为0 万元，全年预算为\n321.02 万元，支出决算为307.82 万元，"
        "完成年初预算的95.89%。"
    )
    (fact,) = read_facts(text)
    assert fact.subject == "一般公共预算财政拨款支出"
    assert fact.budget == "0" and fact.budgets == {"年初预算": "0", "全年预算": "321.02"}
    assert (fact.amount, fact.percent) == ("307.82", "95.89")


def test_item_heading_names_the_figures_after_a_note() -> None:
    # Putuo 2024: a "主要用于" sentence between the item heading and its figures; the list goes on
    text = (
        "一般公共预算财政拨款支出年初预算为0 万元，全年预算为321.02 万元，支出决算为307.82 万元，"
        "完成年初预算的95.89%。决算数小于预算数的主要原因：人员经费支出数小于预算数。其中：\n"
        "1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。\n主要用于：行政单位人员支出、公用支出。"
        "全年预算为52.00 万元，\n支出决算为51.32 万元，完成全年预算数的98.69%。决算数小于全\n"
        "年预算数的主要原因：人员变动引起实际支出低于预算。\n"
        "2、一般公共服务支出（类）社会工作事务（款）事业运行（项）。\n主要用于：事业单位人员支出。"
        "全年预算为17.68 万元，支出决算\n为11.31 万元。"
    )
    total, first, second = read_facts(text)
    assert total.list_role == "total" and first.list_role == second.list_role == "item"
    assert total.list_id == first.list_id == second.list_id
    assert first.subject == "一般公共服务支出（类）社会工作事务（款）行政运行（项）"
    assert (first.budgets, first.amount, first.percent) == ({"全年预算": "52.00"}, "51.32", "98.69")
    assert second.subject.endswith("事业运行（项）") and second.percent is None
    assert (second.budget, second.amount) == ("17.68", "11.31")


def test_list_joined_by_commas_ends_at_a_semicolon() -> None:
    # Wuchang 2025: 项目支出 is 基本支出's sibling, not one of its parts
    facts = read_facts(
        "基本支出252.79万元，占36%，其中：人员经费210.44万元、公用经费42.35万元；项目支出455.04万元，占64%。"
    )
    assert [(f.subject, f.list_role) for f in facts] == [
        ("基本支出", "total"),
        ("人员经费", "item"),
        ("公用经费", "item"),
        ("项目支出", None),
    ]


def test_sentence_about_an_item_is_no_new_item() -> None:
    # Jianghan 2020: "项目支出主要用于…287.03万元" says what the item 项目支出 was spent on
    facts = read_facts(
        "2020年度一般公共预算财政拨款支出年初预算为564.31万元，支出决算为504.77万元，完成年初预算的89.5%。"
        "其中：基本支出217.74万元，项目支出287.03万元。"
        "项目支出主要用于贯彻实施《全民科学素质行动计划纲要》287.03万元，主要成效：联合团区委举办绘画大赛。"
    )
    assert [(f.amount, f.list_role) for f in facts] == [
        ("504.77", "total"),
        ("217.74", "item"),
        ("287.03", "item"),
        ("287.03", None),
    ]


def test_parts_of_an_item_form_their_own_list() -> None:
    # Qingshan 2023: 一般行政管理事务 54 is 项目支出's part and the total of the two 科普经费
    facts = read_facts(
        "(二)项目支出54万元。其中：\n一般行政管理事务54万元，主要用于：\n"
        "1.科普经费（青山区）33.2万元，主要用于：用于科普活动、科普宣传。"
        "2.科普经费（化工区）20.8万元，主要用于：《科普青山》公众号推广、运营、维护。"
    )
    roles = [(f.subject, f.amount, f.list_role) for f in facts]
    assert roles[1:] == [
        ("一般行政管理事务", "54", "total"),
        ("科普经费（青山区）", "33.2", "item"),
        ("科普经费（化工区）", "20.8", "item"),
    ]
    assert facts[1].list_id == facts[2].list_id == facts[3].list_id


def test_join_paragraphs_keeps_where_each_starts() -> None:
    text, starts = join_paragraphs(["（一）总体情况。", "收入合计504.77万元。"])
    assert starts == [0, 9] and text[starts[1] :].startswith("收入合计")
