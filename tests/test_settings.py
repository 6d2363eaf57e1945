"""campaign.yaml by its schema: every problem in Chinese, with its key path and row."""

import dataclasses
import datetime as dt
import re

import pytest

from supervision_bulletin.document import KIND_NAMES
from supervision_bulletin.load import load_campaign_yaml
from supervision_bulletin.model import Rules
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from supervision_bulletin.settings import UNKNOWN, CampaignSettings, RulesSection, read_campaign
from supervision_bulletin.validate import validate_campaign

GOOD = """\
name: 2024年河东区营商环境提升行动
year: 2024
issuer: 河东区人民政府督查局
code: 河东督
recipients: 区直各部门，各乡镇人民政府
"""


def read(tmp_path, text: str, encoding: str = "utf-8"):
    """The campaign campaign.yaml gives, and its problems."""
    (tmp_path / "campaign.yaml").write_bytes(text.encode(encoding))
    log = ProblemLog()
    campaign = validate_campaign(load_campaign_yaml(tmp_path, log), log)
    return campaign, log.problems


def only(problems, *words):
    """The one problem holding every word."""
    matching = [p for p in problems if all(word in p.message for word in words)]
    assert len(matching) == 1, [str(p) for p in problems]
    return matching[0]


def test_a_good_campaign_reads_as_before(tmp_path):
    campaign, problems = read(tmp_path, GOOD + "cc: 区委办公室、区政府办公室\nreport_every: 季度\n"
                              "contact: {name: 张明, phone: 12345678}\ncalendar: {holidays: 2027-10-08}\n"
                              "rules:\n  severe_gap: 0.2\n  answer_working_days: 15\n  close_on_figures: 否\n"
                              "site: {docx: 是, public: {督办通知: 主动公开}}\n")
    assert not problems
    assert campaign.printer == "河东区人民政府督查局" and campaign.report_due_day == 5
    assert campaign.cc == ("区委办公室", "区政府办公室") and campaign.report_every == "quarter"
    assert campaign.contact.phone == "12345678" and campaign.extra_holidays == (dt.date(2027, 10, 8),)
    assert campaign.rules == Rules(severe_gap=0.2, answer_working_days=15, close_on_figures=False)
    assert campaign.site.docx is True and campaign.site.disclosure("notice") == "主动公开"


def test_the_sample_campaign_is_clean():
    log = ProblemLog()
    campaign = validate_campaign(load_campaign_yaml(SAMPLE_CAMPAIGN, log), log)
    assert not log.problems and campaign.year == 2023 and campaign.contact is not None


# unknown keys -------------------------------------------------------------------------------


def test_an_unknown_top_level_key_names_the_closest_one_and_its_row(tmp_path):
    _, problems = read(tmp_path, GOOD + "report_due: 5\n")
    problem = only(problems, "“report_due”不是可设置的项目", "是否应为：report_due_day")
    assert problem.location.row == 6 and str(problem).startswith("campaign.yaml，第6行：")


def test_an_unknown_key_nothing_is_close_to_lists_the_keys(tmp_path):
    _, problems = read(tmp_path, GOOD + "颜色: 红\n")
    assert "可用的有：name、year、issuer" in only(problems, "“颜色”").message


def test_an_unknown_nested_key_names_its_section_and_the_closest_key(tmp_path):
    _, problems = read(tmp_path, GOOD + "rules:\n  severe_gap: 0.2\n  points_unansered: -1\ncontact:\n  name: 张明\n  phon: 1\n")
    rule = only(problems, "rules 中的“points_unansered”不是可设置的项目", "是否应为：points_unanswered")
    assert rule.location.row == 8
    contact = only(problems, "contact 中的“phon”", "是否应为：phone")
    assert contact.location.row == 11


def test_an_unknown_kind_in_site_public_is_told_apart_from_an_unknown_setting(tmp_path):
    _, problems = read(tmp_path, GOOD + "site:\n  public:\n    notices: 不公开\n")
    assert only(problems, "site.public 中的“notices”不是公文种类", "notice").location.row == 8


# wrong types and ranges ---------------------------------------------------------------------


@pytest.mark.parametrize("line, words, row", [
    ('year: "二〇二三"', ["year 应为四位年份，如 2023", "而不是“二〇二三”"], 2),
    ("year: 1999", ["year 应为四位年份", "而不是“1999”"], 2),
    ("report_due_day: 40", ["report_due_day 应为 1 至 28 之间的整数", "而不是“40”"], 6),
    ("report_due_day: 五日", ["report_due_day 应为 1 至 28 之间的整数", "而不是“五日”"], 6),
    ("cc: 5", ["cc 应为抄送机关的列表", "而不是“5”"], 6),
    ("cc: [区委办公室, {a: 1}]", ["cc 的第2项应为文字", "而不是“{a: 1}”"], 6),
    ("name: [一, 二]", ["name 应为活动名称", "而不是“[一, 二]”"], 1),
    ("rules: {points_unanswered: 很多}", ["rules.points_unanswered 应为数值", "而不是“很多”"], 6),
    ("rules: {answer_working_days: 10.5}", ["rules.answer_working_days 应为整数", "而不是“10.5”"], 6),
    ("rules: 5", ["rules 应为“名称: 数值”形式的设置", "而不是“5”"], 6),
    ("rules: {close_on_figures: 也许}", ["rules.close_on_figures 应为 true（单位反馈整改到位", "而不是“也许”"], 6),
    ("report_every: weekly", ["report_every 应为 month（每月报送）或 quarter（每季度报送）", "“weekly”"], 6),
    ("contact: 张明", ["contact 应写作 {name: 联系人姓名, phone: 联系电话}", "而不是“张明”"], 6),
    ("calendar: {holidays: [2027-10-08, 十月八日]}", ["calendar.holidays 中的日期“十月八日”"], 6),
    ("calendar: {holidays: 5}", ["calendar.holidays 中的日期“5”不是有效日期"], 6),
    ("calendar: {workdays: [{a: 1}]}", ["calendar.workdays 中的日期“{a: 1}”不是有效日期"], 6),
    ("site: {docx: 也许}", ["site.docx 应为 true", "而不是“也许”"], 6),
])
def test_a_wrong_value_names_its_key_what_was_expected_and_what_was_found(tmp_path, line, words, row):
    lines = GOOD.splitlines()
    key = line.split(":")[0]
    lines = [text for text in lines if not text.startswith(f"{key}:")]
    lines.insert(row - 1, line)
    _, problems = read(tmp_path, "\n".join(lines) + "\n")
    assert only(problems, *words).location.row == row


def test_a_day_both_holiday_and_workday_is_named(tmp_path):
    _, problems = read(tmp_path, GOOD + "calendar:\n  holidays: [2027-10-08]\n  workdays: [2027-10-08]\n")
    assert only(problems, "calendar 中 2027-10-08 同时列在 holidays 和 workdays 中").location.row == 6


def test_an_impossible_date_is_named_with_its_row(tmp_path):
    _, (problem,) = read(tmp_path, GOOD + "calendar:\n  holidays: [2027-13-01]\n")
    assert problem.location.row == 7 and "2027-13-01" in problem.message and "month" not in problem.message


# missing keys -------------------------------------------------------------------------------


def test_a_missing_required_key_is_named_with_what_it_is(tmp_path):
    _, problems = read(tmp_path, GOOD.replace("code: 河东督\n", ""))
    assert only(problems, "缺少必填项“code”（机关代字）").location.row is None


def test_a_required_key_left_empty_is_missing(tmp_path):
    _, problems = read(tmp_path, GOOD.replace("issuer: 河东区人民政府督查局", "issuer:"))
    only(problems, "缺少必填项“issuer”（发文机关）")


def test_a_missing_key_of_a_section_names_the_section(tmp_path):
    _, problems = read(tmp_path, GOOD + "contact:\n  name: 张明\n")
    assert only(problems, "contact 中缺少必填项“phone”（联系电话）").location.row == 6


# every problem at once, the good settings still read -----------------------------------------


def test_every_problem_is_listed_at_once_and_the_rest_is_still_read(tmp_path):
    text = GOOD.replace("year: 2024", 'year: "二〇二三"') + "report_due_day: 40\ncc: 5\nreport_every: quarter\nrecipent: x\n"
    campaign, problems = read(tmp_path, text)
    assert len(problems) == 4, [str(p) for p in problems]
    assert [p.location.row for p in problems] == [2, 6, 7, 9]  # in the order of the file
    # A wrong year reads as unknown (no report is refused for its year), the right settings stand.
    assert campaign.year == 0 and campaign.report_every == "quarter" and campaign.code == "河东督"
    assert campaign.report_due_day == 5 and campaign.cc == ()


# how files are written ----------------------------------------------------------------------


def test_a_gbk_file_is_read_and_its_problems_said(tmp_path):
    campaign, problems = read(tmp_path, GOOD + "cc: 区委办公室\nreport_due_day: 四十\n", "gbk")
    assert campaign.name == "2024年河东区营商环境提升行动" and campaign.cc == ("区委办公室",)
    assert only(problems, "report_due_day 应为 1 至 28 之间的整数，而不是“四十”").location.row == 7


def test_a_full_width_colon_at_the_top_is_named_with_its_row(tmp_path):
    _, (problem,) = read(tmp_path, GOOD + "report_due_day：5\n")
    assert problem.location.row == 6 and "全角冒号" in problem.message


def test_a_full_width_colon_in_a_section_is_named_with_its_row(tmp_path):
    """contact:\\n  name：张明 is valid YAML (contact is the text "name：张明")."""
    _, (problem,) = read(tmp_path, GOOD + "contact:\n  name：张明\n")
    assert problem.location.row == 7
    assert "contact 应写作" in problem.message and "全角冒号" in problem.message


def test_a_file_of_one_line_with_a_full_width_colon(tmp_path):
    _, (problem,) = read(tmp_path, "name：2024年活动\n")
    assert problem.location.row == 1 and "全角冒号" in problem.message


# no English ---------------------------------------------------------------------------------


def key_names() -> set[str]:
    names = set(KIND_NAMES) | {"true", "false", "month", "quarter", "Word"}  # values as typed; the Word file
    models = [CampaignSettings]
    while models:
        model = models.pop()
        for name, field in model.model_fields.items():
            names.add(name)
            models += [arg for arg in (field.annotation, *getattr(field.annotation, "__args__", ()))
                       if isinstance(arg, type) and hasattr(arg, "model_fields")]
    return names


BROKEN = """\
name: [一, 二]
year: "二〇二三"
report_due_day: 0
cc: {a: 1}
recipent: 各单位
report_every: 每年
rules: {points_unanswered: 很多, answer_working_days: true, severe_gap: [1], points_unansered: 1}
contact: {phone: [1]}
calendar: {holidays: 5, workdays: {a: 1}, holiday: x}
site: {docx: 3, index_prefix: 老城, public: 不公开, publik: 1}
"""


def test_no_english_word_of_the_validation_library_reaches_a_message(tmp_path):
    _, problems = read(tmp_path, BROKEN)
    assert len(problems) >= 14, [str(p) for p in problems]
    allowed = key_names() | {"recipent", "points_unansered", "holiday", "publik"}
    for problem in problems:
        words = set(re.findall(r"[A-Za-z_]{4,}", problem.message)) - allowed
        assert not words, str(problem)
        assert "Input" not in problem.message and "http" not in problem.message


def test_every_setting_says_what_it_expects():
    models = [CampaignSettings]
    while models:
        model = models.pop()
        for name, field in model.model_fields.items():
            assert field.description and re.search(r"[\u4e00-\u9fff]", field.description), f"{model.__name__}.{name}"
            models += [arg for arg in (field.annotation, *getattr(field.annotation, "__args__", ()))
                       if isinstance(arg, type) and hasattr(arg, "model_fields")]


def test_the_rules_section_is_the_rules_record():
    assert {f.name: f.default for f in dataclasses.fields(Rules)} == RulesSection().model_dump()


def test_keys_that_yaml_reads_as_numbers_are_unknown_keys(tmp_path):
    _, problems = read(tmp_path, GOOD + "2023: x\n")
    assert only(problems, "“2023”不是可设置的项目").location.row == 6


def test_read_campaign_without_rows_names_the_key_path():
    log = ProblemLog()
    read_campaign({"name": "活动", "year": 2024, "issuer": "局", "code": "督", "recipients": "各单位",
                   "rules": {"points_unanswered": "很多"}}, log)
    (problem,) = log.problems
    assert problem.location.row is None and problem.message.startswith("rules.points_unanswered 应为数值")


def test_the_required_settings_have_a_stand_in_when_wrong():
    required = {name for name, field in CampaignSettings.model_fields.items() if field.is_required()}
    assert required == set(UNKNOWN) == {"name", "year", "issuer", "code", "recipients"}


def test_a_file_nested_thousands_deep_is_a_located_problem(tmp_path):
    (tmp_path / "campaign.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    log = ProblemLog()
    assert load_campaign_yaml(tmp_path, log) == {}
    assert any("嵌套层次过深" in str(problem) for problem in log.problems)
