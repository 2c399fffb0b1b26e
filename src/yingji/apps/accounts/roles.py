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


# Operational apps whose records every bureau role may read (scoped by its grant).
_READ_ALL = [
    "directory.view_*",
    "resources.view_*",
    "risk.view_*",
    "duty.view_*",
    "incidents.view_*",
    "warnings.view_*",
    "monitoring.view_*",
    "notifications.view_*",
]
# Desk work: taking incidents, writing reports, logging duty, drafting warnings, handling alarms.
_DESK = [
    "duty.add_*",
    "duty.change_*",
    "incidents.add_*",
    "incidents.change_*",
    "warnings.add_*",
    "warnings.change_*",
    "monitoring.change_alarm",
    "monitoring.add_alarmnote",
    "notifications.change_*",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: ["*"],
    Role.DUTY_OFFICER: [*_READ_ALL, *_DESK, "risk.contact_safetymanager"],
    Role.DUTY_LEADER: [
        *_READ_ALL,
        *_DESK,
        "duty.approve_*",
        "warnings.approve_warning",
        "incidents.approve_*",
        "risk.contact_safetymanager",
    ],
    Role.COMMANDER: [
        *_READ_ALL,
        *_DESK,
        "duty.approve_*",
        "warnings.approve_warning",
        "warnings.release_warning",
        "incidents.*",
        "resources.change_*",
        "resources.add_*",
        "resources.approve_*",
        "core.add_importjob",
        "core.view_importjob",
        "core.override_import",
        "risk.contact_safetymanager",
        "directory.add_organization",
        "directory.change_organization",
        "monitoring.add_*",
        "monitoring.change_*",
    ],
    Role.ENFORCEMENT_OFFICER: [*_READ_ALL, "risk.*", "monitoring.change_alarm"],
    Role.TOWNSHIP_OFFICER: [
        *_READ_ALL,
        "incidents.add_incident",
        "incidents.add_incidentupdate",
        "duty.add_dutylogentry",
    ],
    Role.ENTERPRISE_SAFETY_MANAGER: [
        "directory.view_administrativedivision",
        "directory.view_hazardhistoryfeature",
        "directory.view_organization",
        "risk.view_*",
        "risk.add_*",
        "risk.change_*",
        "risk.delete_chemicalinventory",
        "monitoring.view_*",
        # their own enterprise's monitoring points (the grant's organisation scopes every write)
        "monitoring.add_monitoringpoint",
        "monitoring.change_monitoringpoint",
        # importing their own registers (inventory, points); kinds they lack the target
        # permission of are neither listed nor accepted; they see only their own jobs
        "core.add_importjob",
        "core.view_importjob",
    ],
    Role.AUDITOR: [*_READ_ALL, "audit.view_*"],
    Role.PUBLIC_VIEWER: [
        "directory.view_administrativedivision",
        "directory.view_hazardhistoryfeature",
        "warnings.view_publicwarning",
    ],
}


def role_grants(role: str, perm: str) -> bool:
    """Whether ``role`` carries permission ``perm`` (wildcards honoured)."""
    return any(fnmatchcase(perm, pattern) for pattern in ROLE_PERMISSIONS.get(role, []))
