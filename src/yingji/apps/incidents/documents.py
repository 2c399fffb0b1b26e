"""Report documents: text drafted from the structured record, rendered as .docx and PDF.

Layout follows the main rules of GB/T 9704-2012 (党政机关公文格式): A4, margins 37 mm top,
35 mm bottom, 28 mm left, 26 mm right; red issuer heading over a red rule; title in 2号
(22 pt) 小标宋-style bold, centred; body in 3号 (16 pt) 仿宋 with a two-character first-line
indent and a fixed 28 pt line pitch; issuer and date at the end, right-aligned. Font names
are set for Word (方正小标宋简体 / 仿宋_GB2312, which Word substitutes when absent); the PDF
uses the standard Adobe CJK font STSong-Light (not embedded, every PDF reader has it).
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from yingji.apps.incidents.models import Incident, IncidentReport, ReportKind
from yingji.apps.incidents.models.report import chinese_number
from yingji.apps.incidents.presenters import money_zh, reasons_prose

ISSUER = "焉耆回族自治县应急管理局"
# Grading sources recorded by the engine → their official citation.
SOURCE_CITATIONS = {"493": "《生产安全事故报告和调查处理条例》（国务院令第493号）第三条"}
CASUALTY_WORDS = [
    ("deaths", "死亡"),
    ("missing", "失踪"),
    ("serious_injuries", "重伤"),
    ("injured", "轻伤"),
    ("trapped", "被困"),
]


def _local(value: Any) -> Any:
    return timezone.localtime(value) if value is not None else None


def _cn_time(value: Any) -> str:
    t = _local(value)
    return f"{t.year}年{t.month}月{t.day}日{t.hour}时{t.minute:02d}分" if t else "（时间不详）"


def _money(value: Decimal | str) -> str:
    return money_zh(value)


def reasons_zh(reasons: list[str], *, accident: bool = True) -> str:
    """Engine reasons as official prose, joined with ``；`` (see ``presenters.reason_zh``).

    ``deaths 3 ≥ 3 → 较大`` → ``死亡3人，达到较大事故标准（3人以上）``;
    ``deaths 2 < 3 → 一般`` → ``死亡2人，未达到较大事故标准（3人）``. Reasons of another
    shape are kept as they are.
    """
    return "；".join(reasons_prose(reasons, accident=accident))


def source_citation(source: str) -> str:
    """The official citation for the engine's grading source (``有关规定`` when unknown)."""
    for key, citation in SOURCE_CITATIONS.items():
        if key in source:
            return citation
    return source or "有关规定"


def _place(facts: dict[str, Any]) -> str:
    """Division plus address, without repeating the division when the address starts with it."""
    division, address = facts["division"], facts["address"] or ""
    return address if address.startswith(division) else f"{division}{address}"


def _loss_phrase(value: Any) -> str:
    """``直接经济损失约…`` or, when not yet known (0 or empty), ``直接经济损失正在核实``."""
    if value in (None, "") or Decimal(str(value)) == 0:
        return "直接经济损失正在核实"
    return f"直接经济损失约{_money(value)}"


def facts_snapshot(incident: Incident) -> dict[str, Any]:
    """The structured record at drafting time (JSON-ready; times ISO, loss as string CNY)."""
    return {
        "number": incident.number,
        "title": incident.title,
        "category": incident.get_category_display(),
        "type": incident.incident_type.name_zh,
        "occurred_at": incident.occurred_at.isoformat(),
        "reported_at": incident.reported_at.isoformat(),
        "division": incident.division.name,
        "address": incident.address,
        "lon": incident.lon,
        "lat": incident.lat,
        "description": incident.description,
        **{name: int(getattr(incident, name)) for name, _ in CASUALTY_WORDS},
        "direct_loss_cny": str(incident.direct_loss_cny),
        "hazmat_involved": incident.hazmat_involved,
        "hazmat_description": incident.hazmat_description,
        "source": incident.get_source_display(),
        "reporter": incident.reporter_name,
        "reporter_org": incident.reporter_org,
        "grade": incident.grade,
        "grade_zh": incident.get_grade_display() if incident.grade else "",
        "grade_reasons": list(incident.grade_reasons),
        "grade_source": incident.grade_source,
    }


def _casualty_phrase(facts: dict[str, Any]) -> str:
    parts = [f"{facts[name]}人{word}" for name, word in CASUALTY_WORDS if facts.get(name)]
    return "、".join(parts) if parts else "暂无人员伤亡"


def report_title(incident: Incident, kind: str, sequence: int) -> str:
    """``关于…的首报`` / ``…（续报一）`` / ``…（终报）``."""
    if kind == ReportKind.UPDATE:
        return f"关于{_subject(incident)}的续报{chinese_number(sequence)}"
    return f"关于{_subject(incident)}的{ReportKind(kind).label}"


def _subject(incident: Incident) -> str:
    name = incident.division.name
    return incident.title if incident.title.startswith(name) else f"{name}{incident.title}"


def draft_body(kind: str, facts: dict[str, Any], previous: dict[str, Any] | None, sequence: int = 0) -> str:
    """Draft text of a report from the facts snapshot (and the last sent report's facts for 续报).

    Paragraphs separated by blank lines; the officer edits it before sending.
    """
    when = _cn_time(datetime.fromisoformat(facts["occurred_at"]))
    place = _place(facts)
    grade = facts["grade_zh"] or "待定"
    reasons = reasons_zh(facts["grade_reasons"], accident="493" in (facts.get("grade_source") or ""))
    loss = _loss_phrase(facts["direct_loss_cny"])
    hazmat = (
        f"事件涉及危险化学品：{facts['hazmat_description'] or '情况核实中'}。"
        if facts["hazmat_involved"]
        else ""
    )
    paragraphs: list[str] = []
    if kind == ReportKind.INITIAL:
        received = _cn_time(datetime.fromisoformat(facts["reported_at"]))
        reporter = (
            f"（报告人：{facts['reporter']}{'，' + facts['reporter_org'] if facts['reporter_org'] else ''}）"
        )
        paragraphs.append(
            f"{received}，县应急管理局值班室接{facts['source']}报告{reporter if facts['reporter'] else ''}："
            f"{when}，{place}发生一起{facts['type']}。"
        )
        paragraphs.append(f"据初步了解，事件已造成{_casualty_phrase(facts)}，{loss}。{hazmat}")
        if facts["description"]:
            paragraphs.append(facts["description"])
        paragraphs.append(
            f"依据{source_citation(facts['grade_source'])}，事件等级初判为{grade}（{reasons}）。"
        )
        paragraphs.append("目前，现场处置工作正在进行中，有关情况将及时续报。")
    elif kind == ReportKind.UPDATE:
        paragraphs.append(f"现将{when}{place}{facts['title']}最新情况续报{chinese_number(sequence)}如下：")
        if previous:
            changes = [
                f"{word}由{previous.get(name, 0)}人变为{facts[name]}人"
                for name, word in CASUALTY_WORDS
                if previous.get(name, 0) != facts[name]
            ]
            if str(previous.get("direct_loss_cny")) != str(facts["direct_loss_cny"]):
                changes.append(
                    f"直接经济损失由约{_money(previous['direct_loss_cny'])}变为约{_money(facts['direct_loss_cny'])}"
                )
            if changes:
                paragraphs.append("与上次报告相比，" + "，".join(changes) + "。")
        paragraphs.append(f"截至目前，事件共造成{_casualty_phrase(facts)}，{loss}。{hazmat}")
        if facts["description"]:
            paragraphs.append(facts["description"])
        paragraphs.append(f"事件等级为{grade}（{reasons}）。")
        paragraphs.append("有关情况将及时续报。")
    else:
        paragraphs.append(f"{when}，{place}发生的{facts['title']}，现场处置工作已结束，现终报如下：")
        paragraphs.append(f"事件共造成{_casualty_phrase(facts)}，{loss}。{hazmat}")
        if facts["description"]:
            paragraphs.append(facts["description"])
        paragraphs.append(f"事件等级为{grade}（{reasons}）。善后及调查工作按有关规定进行。")
    return "\n\n".join(paragraphs)


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _set_font(
    run: Any, name: str, size_pt: float, *, bold: bool = False, color: RGBColor | None = None
) -> None:
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _red_rule(paragraph: Any) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    p_pr.append(border)


def render_docx(report: IncidentReport, title: str, body: str, *, version: int) -> bytes:
    """The report as a .docx (GB/T 9704-2012 style, see module docstring). Returns the file bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    red = RGBColor(0xC0, 0x00, 0x00)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(head.add_run(f"{ISSUER}\n突发事件信息报告"), "方正小标宋简体", 26, bold=True, color=red)
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = report.incident.number or ""
    _set_font(meta.add_run(f"{report.label}　编号：{number}　第{version}版"), "仿宋_GB2312", 14)
    _red_rule(meta)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(16)
    heading.paragraph_format.space_after = Pt(16)
    _set_font(heading.add_run(title), "方正小标宋简体", 22, bold=True)
    for text in _paragraphs(body):
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(32)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        _set_font(p.add_run(text), "仿宋_GB2312", 16)
    when = _local(report.sent_at or timezone.now())
    for line in (ISSUER, f"{when.year}年{when.month}月{when.day}日"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_font(p.add_run(line), "仿宋_GB2312", 16)
    doc.core_properties.title = title
    doc.core_properties.author = ISSUER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_PDF_FONT = "STSong-Light"


def render_pdf(report: IncidentReport, title: str, body: str, *, version: int) -> bytes:
    """The report as a PDF (same layout as the .docx, CJK font STSong-Light). Returns the file bytes."""
    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=title,
        author=ISSUER,
    )
    base = {"fontName": _PDF_FONT, "wordWrap": "CJK"}
    red_head = ParagraphStyle(
        "head", fontSize=24, leading=32, alignment=TA_CENTER, textColor=colors.HexColor("#C00000"), **base
    )
    meta = ParagraphStyle("meta", fontSize=12, leading=18, alignment=TA_CENTER, **base)
    heading = ParagraphStyle(
        "title", fontSize=20, leading=30, alignment=TA_CENTER, spaceBefore=12, spaceAfter=12, **base
    )
    text = ParagraphStyle("body", fontSize=15, leading=28, firstLineIndent=30, **base)
    right = ParagraphStyle("right", fontSize=15, leading=28, alignment=TA_RIGHT, **base)
    when = _local(report.sent_at or timezone.now())
    story: list[Any] = [
        Paragraph(escape(ISSUER) + "<br/>突发事件信息报告", red_head),
        Paragraph(escape(f"{report.label}　编号：{report.incident.number or ''}　第{version}版"), meta),
        HRFlowable(width="100%", thickness=1.5, color=colors.HexColor("#C00000")),
        Paragraph(escape(title), heading),
    ]
    story.extend(Paragraph(escape(p), text) for p in _paragraphs(body))
    story.extend(
        [
            Spacer(1, 12),
            Paragraph(ISSUER, right),
            Paragraph(f"{when.year}年{when.month}月{when.day}日", right),
        ]
    )
    doc.build(story)
    return out.getvalue()
