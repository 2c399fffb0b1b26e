"""Excel export of enterprise safety ledgers (openpyxl), restricted to what the user may see."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from yingji.apps.risk import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(wb: Workbook, title: str, header: list[str], rows: Any) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(["" if v is None else v for v in row])
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(name) * 2 + 2)
    return ws


def ledger_workbook(user: Any) -> Workbook:
    """Workbook with one sheet per ledger table (企业, 单元, 危化品, 风险点, 隐患, 证照, 特种设备).

    Only records ``user`` may see; safety-manager phones only where ``can_see_contacts``.
    Quantities in t, funding in CNY (exact decimals written as numbers with their digits).
    """
    wb = Workbook()
    wb.remove(wb.active)
    ents = selectors.enterprises_with_inventory_for(user)
    profiles = {p.enterprise_id: p for p in selectors.profile_qs_for(user)}
    contacts = {e.pk: selectors.can_see_contacts(user, e) for e in ents}
    _sheet(
        wb,
        "企业",
        [
            "ID",
            "企业名称",
            "统一社会信用代码",
            "所在乡镇",
            "地址",
            "经度",
            "纬度",
            "行业代码",
            "行业名称",
            "法定代表人",
            "从业人员",
            "重大危险源单元数",
            "最高级别",
            "开放隐患",
            "示例",
        ],
        (
            [
                e.pk,
                e.name,
                e.uscc,
                e.division.name,
                e.address,
                e.lon,
                e.lat,
                getattr(profiles.get(e.pk), "industry_code", ""),
                getattr(profiles.get(e.pk), "industry_name", ""),
                getattr(profiles.get(e.pk), "legal_representative", ""),
                getattr(profiles.get(e.pk), "employees", None),
                e.major_units,
                e.worst_colour,
                e.open_hazards,
                "示例" if e.is_demo else "",
            ]
            for e in ents
        ),
    )
    _sheet(
        wb,
        "安全管理人员",
        ["企业", "姓名", "职务", "电话"],
        (
            [m.enterprise.name, m.name, m.post, m.phone if contacts.get(m.enterprise_id) else "(不可见)"]
            for m in selectors.safety_managers_for(user).select_related("enterprise")
        ),
    )
    _sheet(
        wb,
        "单元",
        ["企业", "单元", "类型", "500m内人数", "S", "R", "重大危险源", "级别"],
        (
            [
                u.enterprise.name,
                u.name,
                u.get_kind_display(),
                u.exposed_population,
                u.identification_s,
                u.grading_r,
                "是" if u.is_major_hazard else "否",
                u.level_zh,
            ]
            for u in selectors.units_for(user)
        ),
    )
    _sheet(
        wb,
        "危险化学品",
        ["企业", "单元", "危险化学品", "CAS号", "危险性类别", "最大存量(t)", "GB 18218 表1序号"],
        (
            [
                i.enterprise.name,
                i.unit_name,
                i.substance_name,
                i.cas,
                i.hazard_class,
                i.quantity_t,
                i.table1_seq,
            ]
            for i in selectors.inventories_for(user)
        ),
    )
    _sheet(
        wb,
        "风险点",
        ["企业", "风险点", "责任人", "方法", "风险等级", "颜色", "残余风险颜色", "管控措施"],
        (
            [
                p.enterprise.name,
                p.name,
                p.responsible_person,
                p.get_method_display(),
                p.result.get("level_zh"),
                p.colour,
                p.residual_colour,
                p.controls,
            ]
            for p in selectors.risk_points_for(user)
        ),
    )
    _sheet(
        wb,
        "隐患",
        ["企业", "隐患", "类别", "来源", "等级", "状态", "整改期限", "资金(元)", "挂牌督办级别", "上报时间"],
        (
            [
                h.enterprise.name,
                h.title,
                h.get_category_display(),
                h.get_source_display(),
                h.get_grade_display(),
                h.get_status_display(),
                h.deadline,
                h.funding_cny,
                h.supervision_level,
                timezone.localtime(h.reported_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for h in selectors.hidden_hazards_for(user)
        ),
    )
    _sheet(
        wb,
        "证照",
        ["企业", "证照", "证号", "有效期至", "状态"],
        (
            [lic.enterprise.name, lic.get_kind_display(), lic.number, lic.valid_until, lic.status()]
            for lic in selectors.licences_for(user).select_related("enterprise")
        ),
    )
    _sheet(
        wb,
        "特种设备",
        ["企业", "类别", "名称", "登记证号", "下次检验"],
        (
            [q.enterprise.name, q.get_kind_display(), q.name, q.registration_no, q.next_inspection_due]
            for q in selectors.special_equipment_for(user).select_related("enterprise")
        ),
    )
    return wb


def ledger_workbook_response(user: Any) -> HttpResponse:
    """``ledger_workbook`` as an ``.xlsx`` download."""
    buf = BytesIO()
    ledger_workbook(user).save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="risk-ledger-{stamp}.xlsx"'
    return response
