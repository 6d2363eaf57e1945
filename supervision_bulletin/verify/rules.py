"""The rules `bulletin verify` measures, and the findings it reports.

Each rule names the clause of GB/T 9704-2012 (党政机关公文格式) it comes from, so
that a finding tells a clerk what to fix and where the requirement is written.
A few rules are the project's own (PDF fonts, PDF/A archive copies); they say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Rule:
    name: str  # short Chinese name, e.g. "版心"
    clause: str  # where the requirement is written
    requirement: str  # what it asks, in a clerk's words


@dataclass(frozen=True)
class Finding:
    """One departure from a rule, at one place of one file."""

    path: Path
    place: str  # "第3页第5行", "正文第12段", "" for the whole file
    rule: Rule
    detail: str  # what was measured, against what was expected

    def line(self, relative_to: Path | None = None) -> str:
        """The finding as one line of `bulletin verify` output."""
        path = self.path
        if relative_to is not None:
            try:
                path = self.path.relative_to(relative_to)
            except ValueError:
                pass
        place = f"{self.place}：" if self.place else ""
        return f"{path}：{place}{self.detail}〔{self.rule.name}，{self.rule.clause}〕"


def legend(findings: list[Finding]) -> list[str]:
    """What each rule broken asks, once per rule, for the end of a report."""
    seen: dict[Rule, None] = {}
    for finding in findings:
        seen.setdefault(finding.rule)
    return [f"{rule.name}（{rule.clause}）：{rule.requirement}" for rule in seen]


STANDARD = "GB/T 9704-2012"

PAGE_SIZE = Rule("幅面", f"{STANDARD} 5.1", "A4 纸，210 mm × 297 mm，纵向")
TEXT_BLOCK = Rule("版心", f"{STANDARD} 5.2.1", "天头 37 mm、订口 28 mm（各 ±1 mm），版心 156 mm × 225 mm")
BODY_FONT = Rule("正文字体", f"{STANDARD} 5.2.2", "正文用 3 号仿宋（16 pt）")
GRID = Rule("行数字数", f"{STANDARD} 5.2.3", "每面 22 行，每行 28 字")
JUSTIFY = Rule("两端对齐", f"{STANDARD} 5.2.3", "正文两端对齐：段落中除末行外每行排满版心宽度（误差 0.5 mm）")
COLOUR = Rule("文字颜色", f"{STANDARD} 5.2.4", "文字为黑色，仅发文机关标志和版头分隔线为红色")
ISSUER_MARK = Rule("发文机关标志", f"{STANDARD} 7.2.3", "红色小标宋体，居中，上边缘距版心上边缘 35 mm")
DOC_NUMBER = Rule(
    "发文字号", f"{STANDARD} 7.2.4", "机关代字〔年份〕序号号：年份标全称并用六角括号，序号不编虚位、不加“第”字"
)
RED_RULE = Rule("版头分隔线", f"{STANDARD} 7.2.6", "发文字号之下 4 mm 处一条与版心等宽的红色分隔线")
TITLE = Rule("标题", f"{STANDARD} 7.3.1", "2 号小标宋体（22 pt），居中")
HEADINGS = Rule("结构层次序数", f"{STANDARD} 7.3.3", "一级标题黑体、二级标题楷体、三级和四级标题仿宋，均为 3 号")
KINSOKU = Rule("标点禁则", "GB/T 15834-2011", "句号、逗号、后引号、后括号等点号和标号不出现在一行之首")
DATE = Rule("日期", f"{STANDARD} 7.3.5", "用阿拉伯数字标全年月日，年份标全称，月、日不编虚位（1 不编为 01）")
ATTACHMENT = Rule("附件", f"{STANDARD} 7.3.7", "“附件”及其顺序号用 3 号黑体，附件标题居中")
COLOPHON_RULES = Rule(
    "版记分隔线", f"{STANDARD} 7.4.1", "与版心等宽；首条、末条为粗线（0.35 mm），中间为细线（0.25 mm）"
)
COLOPHON_TEXT = Rule("版记文字", f"{STANDARD} 7.4.2", "抄送机关、印发机关和印发日期用 4 号仿宋（14 pt）")
PAGE_NUMBER = Rule(
    "页码",
    f"{STANDARD} 7.5",
    "4 号半角宋体阿拉伯数字，左右各一条一字线，一字线距版心下边缘 7 mm；单页居右空一字，双页居左空一字",
)
LETTER = Rule(
    "信函格式",
    f"{STANDARD} 10.1",
    "标志上边缘距上页边 30 mm，其下 4 mm 为红色双线（上粗下细），距下页边 20 mm 为红色双线（上细下粗），"
    "线长 170 mm 居中；发文字号顶格居版心右边缘，在上方红色双线下 3 号字高的 7/8（约 4.9 mm）处；"
    "首页不显示页码；版记不加分隔线",
)
TABLE = Rule(
    "表格",
    "本项目要求",
    "表头只在词与词之间换行（不拆成“序/号”“目标/值”）；数字不与其百分号、小数拆在两行；文字距表格线不少于 0.5 mm",
)
FONTS = Rule("字体嵌入", "本项目要求", "PDF 嵌入所用全部字体，且均为公文字体或同风格的开源替代字体")
ARCHIVE = Rule("存档格式", "本项目要求（PDF/A-2b）", "PDF 标明 PDF/A-2b（XMP pdfaid），并有标题和语言")
READABLE = Rule("文件", "本项目要求", "文件能够打开")
