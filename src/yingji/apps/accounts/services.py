"""Write use cases for accounts: users, grants, demo accounts, login throttling."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from yingji.apps.accounts.models import Grant, User
from yingji.apps.accounts.roles import Role
from yingji.apps.audit.services import record_change


def create_user(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str = "",
    is_demo: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user (password hashed). Raises ``ValidationError`` on bad fields, nothing written."""
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name,
            is_demo=is_demo,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        record_change(user, "create", None, actor=actor)
    return user


def grant_role(user: User, *, actor: Any, role: str, division: Any, organization: Any = None) -> Grant:
    """Give ``user`` the ``role`` inside ``division`` (and ``organization``). Idempotent.

    Raises:
        ValidationError: unknown role, or an enterprise role without an enterprise.
    """
    with transaction.atomic():
        grant = Grant.objects.filter(
            user=user, role=role, division=division, organization=organization
        ).first()
        if grant is not None:
            return grant
        grant = Grant(user=user, role=role, division=division, organization=organization)
        grant.full_clean()
        grant.save()
        record_change(grant, "create", None, actor=actor)
    user.__dict__.pop("_grant_cache", None)
    return grant


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str | None  # None when the account already existed (password not shown again)
    role: str
    scope: str


def ensure_demo_accounts(
    county: Any, township: Any, enterprise: Any, *, actor: Any = None
) -> list[DemoAccount]:
    """Create one demo account per role (idempotent); new passwords are random and returned once.

    Args:
        county: the county division; township: a township division for the
        township officer; enterprise: an enterprise organisation for the safety manager.

    Returns:
        One ``DemoAccount`` per role; ``password`` is set only for accounts created now.
    """
    plan: list[tuple[str, str, str, Any, Any]] = [
        ("admin", "系统管理员(示例)", Role.ADMIN, county, None),
        ("duty", "值班员(示例)", Role.DUTY_OFFICER, county, None),
        ("leader", "带班领导(示例)", Role.DUTY_LEADER, county, None),
        ("commander", "指挥长(示例)", Role.COMMANDER, county, None),
        ("inspector", "执法人员(示例)", Role.ENFORCEMENT_OFFICER, county, None),
        ("township", "乡镇干部(示例)", Role.TOWNSHIP_OFFICER, township, None),
        ("enterprise", "企业安全管理员(示例)", Role.ENTERPRISE_SAFETY_MANAGER, county, enterprise),
        ("auditor", "审计员(示例)", Role.AUDITOR, county, None),
        ("public", "公众(示例)", Role.PUBLIC_VIEWER, county, None),
    ]
    result = []
    for username, display, role, division, org in plan:
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(9)
            user = create_user(
                actor=actor,
                username=username,
                password=password,
                display_name=display,
                is_demo=True,
                is_superuser=(role == Role.ADMIN),
            )
        grant_role(user, actor=actor, role=role, division=division, organization=org)
        scope = str(org) if org is not None else str(division)
        result.append(DemoAccount(username, password, str(role), scope))
    return result


def _failure_key(username: str, client: str) -> str:
    return f"login-fail:{username.lower()[:150]}:{client}"


def login_blocked(username: str, client: str) -> bool:
    """Whether failed logins for (username, client address) reached ``LOGIN_FAILURE_LIMIT`` in the window."""
    return int(cache.get(_failure_key(username, client), 0)) >= settings.LOGIN_FAILURE_LIMIT


def note_login_failure(username: str, client: str) -> int:
    """Count one failed login; returns the count within the window (``LOGIN_FAILURE_WINDOW_S`` s)."""
    key = _failure_key(username, client)
    if cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_S):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_S)
        return 1


def clear_login_failures(username: str, client: str) -> None:
    """Forget failures after a successful login."""
    cache.delete(_failure_key(username, client))
