"""Team-member use cases: add/update members and certificates (imports: ``resources.imports``)."""

from __future__ import annotations

from typing import Any

from yingji.apps.resources.models import Certificate, RescueTeam, TeamMember
from yingji.apps.resources.services.common import create_audited, update_audited


def add_team_member(*, actor: Any, team: RescueTeam, **fields: Any) -> TeamMember:
    """Add a member to ``team``. Raises ``ValidationError`` (e.g. duplicate ID number)."""
    return create_audited(TeamMember, actor=actor, fields={"team": team, **fields})


def update_team_member(member: TeamMember, *, actor: Any, **fields: Any) -> TeamMember:
    """Change a member. Raises ``ValidationError``."""
    return update_audited(member, actor=actor, fields=fields)


def add_certificate(*, actor: Any, member: TeamMember, **fields: Any) -> Certificate:
    """Record a certificate a member holds. Raises ``ValidationError``."""
    return create_audited(Certificate, actor=actor, fields={"member": member, **fields})
