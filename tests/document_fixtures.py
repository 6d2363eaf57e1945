"""Small hand-made documents for renderer tests (no campaign needed)."""

from __future__ import annotations

from dataclasses import replace

from supervision_bulletin.document import (
    Attachment,
    Colophon,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)

# Report text is data: these must come out literally in every format.
HOSTILE_TEXT = "A&B<公司>报送{{ 7*7 }}与{% raw %}"


def make_document(**overrides) -> OfficialDocument:
    table = Table(
        columns=("序号", "指标", "目标", "完成值", "完成率", "序时进度", "状态", "责任单位"),
        rows=(
            ("一、抓项目促投资", "", "", "", "", "", "", ""),
            ("1", "完成重大项目投资（亿元）", "100", "80.5", "80.5%", "75.0%", "超序时", "区发改委"),
            ("2", "新增四板挂牌企业（家）", "5", "2", "40.0%", "75.0%", "严重滞后", "区金融局"),
            ("二、强化科技创新支撑", "", "", "", "", "", "", ""),
            ("3", HOSTILE_TEXT, "30", "27", "90.0%", "90.0%", "达序时", "区科工局"),
        ),
        widths=(0.6, 3.2, 0.9, 0.9, 0.9, 0.9, 1.0, 1.4),
        group_rows=frozenset({0, 3}),
    )
    body = (
        Paragraph("为推动各项任务落实，区政府督查室对第三季度进展情况进行了督查。现将有关情况通报如下。"),
        Heading(1, "一、总体进展"),
        Paragraph(
            "截至9月底，39项任务中已完成3项，超序时12项，达序时18项，滞后4项，严重滞后1项，未报送1项。"
            "报送单位引用：" + HOSTILE_TEXT
        ),
        Heading(2, "（一）抓项目促投资"),
        Paragraph("全区实施重大项目126个，完成投资80.5亿元，为年度目标的80.5%，超序时进度5.5个百分点。"),
        Heading(1, "二、表扬单位"),
        Paragraph("区科工局、区发改委措施扎实、成效明显，予以通报表扬。", lead="1.区科工局。"),
        Heading(1, "三、通报批评单位"),
        Paragraph("区金融局新增四板挂牌企业2家，完成率40.0%，低于序时进度35.0个百分点，予以通报批评。"),
    )
    document = OfficialDocument(
        kind="quarterly_bulletin",
        layout="standard",
        issuer="老城区人民政府督查室",
        issuer_mark="老城区人民政府督查室",
        number="老城督查〔2023〕3号",
        title="关于2023年第三季度高质量发展赶超活动重点任务推进情况的通报",
        title_lines=("关于2023年第三季度高质量发展赶超活动", "重点任务推进情况的通报"),
        recipients="各街道办事处，区政府有关部门，各有关单位",
        body=body,
        attachment_names=("2023年第三季度重点指标完成情况表",),
        signature="老城区人民政府督查室",
        date="2023年10月9日",
        attachments=(
            Attachment(label="附件", title="2023年第三季度重点指标完成情况表", blocks=(table,)),
        ),
        colophon=Colophon(
            cc=("区委办公室", "区人大常委会办公室"),
            printer="老城区人民政府督查室",
            print_date="2023年10月9日",
        ),
        commended=("区科工局", "区发改委"),
        criticised=("区金融局",),
        slug="2023-Q3-季度通报",
    )
    return replace(document, **overrides)
