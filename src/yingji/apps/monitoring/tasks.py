"""Huey tasks of the monitoring app: thin, idempotent, each re-checks state under a row lock.

All are periodic (minute resolution); the functions they call take ``now`` so tests drive
them with controlled time.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yingji.apps.monitoring import alerting, ingest, services, storage


@db_task()
def flush_alarm_group_task(group_id: int) -> str:
    """Send site group ``group_id``'s notification if due (see ``alerting.flush_group``)."""
    return alerting.flush_group(group_id)


@db_task()
def escalate_alarm_task(alarm_id: int) -> str:
    """Escalate alarm ``alarm_id`` one stage if still unacknowledged and due."""
    return alerting.escalate_alarm(alarm_id)


@db_periodic_task(crontab(minute="*"))
def flush_due_alarm_groups_task() -> int:
    """Every minute: flush every notification group whose next check is due."""
    return sum(alerting.flush_group(pk) == "sent" for pk in alerting.due_group_ids())


@db_periodic_task(crontab(minute="*"))
def escalate_due_alarms_task() -> int:
    """Every minute: escalate every unacknowledged alarm whose escalation is due."""
    return sum(alerting.escalate_alarm(pk).startswith("escalated") for pk in alerting.due_escalation_ids())


@db_periodic_task(crontab(minute="*"))
def detect_offline_points_task() -> int:
    """Every minute: declare offline the points silent for their ``offline_s`` (engine ``advance``)."""
    return ingest.detect_offline()


@db_periodic_task(crontab(minute="*"))
def expire_shelving_task() -> int:
    """Every minute: return alarms whose shelving expired to their former state."""
    return services.expire_shelving()


@db_periodic_task(crontab(minute="*"))
def aggregate_readings_task() -> int:
    """Every minute: maintain the 1-minute and 1-hour aggregates of new readings."""
    return storage.aggregate_new_readings()


@db_periodic_task(crontab(hour="2", minute="41"))
def purge_old_readings_task() -> dict[str, int]:
    """Daily: delete raw readings (and 1-minute aggregates) past their retention."""
    return storage.purge_old_readings()
