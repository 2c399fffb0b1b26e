"""Huey tasks of the incidents app: deadline escalation timers and the periodic sweeps.

Timers are Huey scheduled tasks (persisted in Huey's storage, so they survive a restart);
the minute sweep catches any timer that was lost. Both end in
``escalation.escalate_deadline``, which is idempotent.
"""

from __future__ import annotations

from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yingji.apps.incidents import deadlines, escalation


@db_task()
def escalate_deadline_task(deadline_id: int) -> int:
    """Escalate deadline ``deadline_id`` if it is due for it now; returns its escalation level."""
    return escalation.escalate_deadline(deadline_id)


@db_periodic_task(crontab(minute="*"))
def sweep_overdue_deadlines_task() -> int:
    """Every minute: escalate every overdue deadline whose timer has not (yet) done it."""
    return len(escalation.escalate_overdue())


def schedule_deadline_timers(timers: list[tuple[int, datetime]]) -> None:
    """Schedule both escalation timers (due time, due time + second-level delay) per deadline.

    Called after commit by the services with ``deadlines.sync_deadlines``'s result.
    """
    delay = escalation.second_level_delay()
    for deadline_id, due_at in timers:
        escalate_deadline_task.schedule(args=(deadline_id,), eta=due_at)
        escalate_deadline_task.schedule(args=(deadline_id,), eta=due_at + delay)


@db_periodic_task(crontab(minute="7"))
def refresh_open_deadlines_task() -> int:
    """Hourly: re-sync open incidents' deadlines (daily zero reports appear, statuses move on)."""
    timers = deadlines.refresh_open_incidents()
    schedule_deadline_timers(timers)
    return len(timers)
