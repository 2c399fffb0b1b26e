"""Writing the audit trail. Every service that changes data calls ``record_change``."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.core.context import current_request_id


def snapshot(instance: models.Model) -> dict[str, Any]:
    """JSON-safe dict of a model instance's concrete field values (FKs as ids).

    Returns:
        ``{field name: value}`` with dates, decimals and UUIDs as strings.
    """
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if isinstance(value, FieldFile):
            value = value.name or None  # the stored file's name, not the file
        data[field.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record_change(
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None,
    *,
    actor: Any,
) -> ChangeRecord:
    """Append a ``ChangeRecord`` for ``instance``.

    Args:
        instance: the model instance after the change (for delete: before deletion).
        action: ``"create"``, ``"update"`` or ``"delete"``.
        before: ``snapshot(instance)`` taken before the change, or None on create.
        actor: the acting user, or None for system changes (loaders, tasks).

    Raises:
        ValueError: unknown action.
    """
    if action not in ChangeRecord.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    after = None if action == ChangeRecord.Action.DELETE else snapshot(instance)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ChangeRecord.objects.create(
        actor=user,
        actor_label=(user.get_username() if user is not None else "system"),
        request_id=current_request_id(),
        action=action,
        app_label=instance._meta.app_label,
        model_name=instance._meta.model_name or "",
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )


def update_audited(instance: models.Model, fields: dict[str, Any], *, actor: Any) -> Any:
    """Lock ``instance``'s row, set ``fields``, validate, save and record the change, all in one
    transaction (the common "edit a record" write of the services).

    Args:
        instance: a saved model instance (only its pk and class are used; the row is re-read
            under ``SELECT … FOR UPDATE``).
        fields: ``{field name: new value}``; the caller has already restricted which fields
            may change.
        actor: the acting user, or None for system changes.

    Returns:
        The locked, updated instance.

    Raises:
        django.core.exceptions.ValidationError: ``full_clean`` failed; nothing written.
        DoesNotExist: the row is gone.
    """
    model = type(instance)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=instance.pk)
        before = snapshot(locked)
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        record_change(locked, "update", before, actor=actor)
    return locked
