"""Roles and the permissions each one carries.

Permissions are Django-style strings ``"<app>.<verb>_<model>"``; a trailing
``*`` matches any suffix (``"directory.view_*"``). A grant gives a user one
role inside one division (and, optionally, one organisation): the role says
*what*, the grant's scope says *where*.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The platform's roles (GLOSSARY: users of the platform)."""

    ADMIN = "admin", _("系统管理员")
    DUTY_OFFICER = "duty_officer", _("值班员")
    DUTY_LEADER = "duty_leader", _("带班领导")
    COMMANDER = "commander", _("指挥长")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法人员")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇干部")
    ENTERPRISE_SAFETY_MANAGER = "enterprise_safety_manager", _("企业安全管理员")
    AUDITOR = "auditor", _("审计员")
    PUBLIC_VIEWER = "public_viewer", _("公众")


_READ_ALL = [
    "directory.view_*",
    "resources.view_*",
    "risk.view_*",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: ["*"],
    Role.DUTY_OFFICER: [*_READ_ALL],
    Role.DUTY_LEADER: [*_READ_ALL],
    Role.COMMANDER: [*_READ_ALL],
    Role.ENFORCEMENT_OFFICER: [*_READ_ALL, "risk.add_*", "risk.change_*"],
    Role.TOWNSHIP_OFFICER: [*_READ_ALL],
    Role.ENTERPRISE_SAFETY_MANAGER: [
        "directory.view_administrativedivision",
        "directory.view_hazardhistoryfeature",
        "directory.view_organization",
        "risk.view_*",
        "risk.add_chemicalinventory",
        "risk.change_chemicalinventory",
        "risk.delete_chemicalinventory",
    ],
    Role.AUDITOR: [*_READ_ALL, "audit.view_*"],
    Role.PUBLIC_VIEWER: [
        "directory.view_administrativedivision",
        "directory.view_hazardhistoryfeature",
    ],
}


def role_grants(role: str, perm: str) -> bool:
    """Whether ``role`` carries permission ``perm`` (wildcards honoured)."""
    return any(fnmatchcase(perm, pattern) for pattern in ROLE_PERMISSIONS.get(role, []))
