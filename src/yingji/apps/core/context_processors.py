"""Template context shared by every page: navigation and deployment facts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name or None when the subsystem is not built yet, permission to see the entry)
NAVIGATION: list[tuple[Any, str | None, str]] = [
    (_("总览"), "dashboards:home", "directory.view_administrativedivision"),
    (_("一张图"), "dashboards:map", "directory.view_administrativedivision"),
    (_("值班值守"), "duty:desk", "duty.view_shift"),
    (_("信息接报"), "incidents:list", "incidents.view_incident"),
    (_("指挥调度"), None, ""),
    (_("应急预案"), None, ""),
    (_("监测预警"), "monitoring:index", "monitoring.view_monitoringpoint"),
    (_("预警发布"), "warnings:list", "warnings.view_warning"),
    (_("风险防控"), "risk:enterprise-list", "risk.view_chemicalinventory"),
    (_("执法检查"), None, ""),
    (_("应急资源"), "resources:index", "resources.view_depot"),
    (_("灾情报送"), None, ""),
    (_("应急演练"), None, ""),
    (_("案例库"), None, ""),
    (_("行政区划"), "directory:division-list", "directory.view_administrativedivision"),
    (_("单位"), "directory:organization-list", "directory.view_organization"),
    (_("数据导入"), "imports:index", "core.view_importjob"),
    (_("审计日志"), "audit:change-list", "audit.view_changerecord"),
]


def _is_active(url: str | None, path: str) -> bool:
    if url is None:
        return False
    return path == url if url == "/" else path.startswith(url)


def platform(request: HttpRequest) -> dict[str, Any]:
    """Navigation entries visible to the user, with ``url`` None for subsystems not built yet."""
    user = getattr(request, "user", None)
    entries = []
    for label, url_name, perm in NAVIGATION:
        url = None
        if url_name is not None:
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                url = None  # subsystem not built yet: shown as 建设中, linking nowhere
            if url is not None and (user is None or not user.is_authenticated or not user.has_perm(perm)):
                continue
        entries.append({"label": label, "url": url, "active": _is_active(url, request.path)})
    return {"nav_entries": entries, "county_code": settings.YINGJI_COUNTY_CODE}
