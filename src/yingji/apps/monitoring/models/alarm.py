"""Alarms (报警) with their lifecycle, disposal notes and timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class AlarmKind(models.TextChoices):
    """What raised the alarm: a limit (H/HH/L/LL), the rate of change, or silence (offline)."""

    LIMIT = "limit", _("越限")
    ROC = "roc", _("变化率")
    OFFLINE = "offline", _("离线")


class AlarmState(models.TextChoices):
    """Lifecycle (GLOSSARY): raised → acknowledged → handled → closed; shelved (ISA-18.2) aside."""

    RAISED = "raised", _("未确认")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    HANDLED = "handled", _("已处置")
    CLOSED = "closed", _("已关闭")
    SHELVED = "shelved", _("已搁置")


#: States in which an alarm is open; at most one open alarm per point and kind (DB constraint).
OPEN_STATES: tuple[str, ...] = (
    AlarmState.RAISED,
    AlarmState.ACKNOWLEDGED,
    AlarmState.HANDLED,
    AlarmState.SHELVED,
)


class Priority(models.TextChoices):
    CRITICAL = "critical", _("紧急")
    WARNING = "warning", _("警示")
    INFO = "info", _("提示")


class Alarm(models.Model):
    """One alarm of a point: opened by the engine's ``raise``/``roc``/``offline`` event, closed by a person.

    ``level`` is the current level (``H HH L LL ROC OFFLINE``), ``peak_level`` the most
    severe reached; ``active`` says whether the condition is still present (cleared by the
    engine's ``clear``/``online``). A new raise while the alarm is still open is counted
    (``occurrences``) on the same row. ``inhibited`` marks value alarms of a point whose device
    is offline (not notified, not escalated). ``escalation_stage`` 0 none, 1 duty leaders,
    2 commanders notified. One open alarm per (point, kind) is enforced by a partial unique
    constraint. Restricted like its point.
    """

    point = models.ForeignKey("monitoring.MonitoringPoint", on_delete=models.CASCADE, related_name="alarms")
    kind = models.CharField(_("类型"), max_length=8, choices=AlarmKind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=AlarmState.choices, default=AlarmState.RAISED)
    level = models.CharField(_("级别"), max_length=8)
    peak_level = models.CharField(_("最高级别"), max_length=8)
    priority = models.CharField(_("优先级"), max_length=8, choices=Priority.choices, default=Priority.WARNING)
    active = models.BooleanField(_("报警条件存在"), default=True)
    inhibited = models.BooleanField(_("被设备离线抑制"), default=False)
    occurrences = models.PositiveIntegerField(_("发生次数"), default=1)
    raised_at = models.DateTimeField(_("报警时间"), db_index=True)
    value = models.FloatField(_("报警值"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("最近变化"))
    cleared_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shelved_until = models.DateTimeField(_("搁置至"), null=True, blank=True)
    shelved_from = models.CharField(_("搁置前状态"), max_length=16, blank=True)
    escalation_stage = models.PositiveSmallIntegerField(_("升级阶段"), default=0)
    next_escalation_at = models.DateTimeField(_("下次升级"), null=True, blank=True, db_index=True)
    incident_ref = models.CharField(_("关联事件"), max_length=64, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False, db_index=True)

    restrict_division_field = "point__organization__division"
    restrict_organization_field = "point__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("报警")
        verbose_name_plural = _("报警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "kind"],
                condition=models.Q(state__in=OPEN_STATES),
                name="alarm_one_open_per_point_kind",
            )
        ]
        indexes = [models.Index(fields=["state", "raised_at"], name="alarm_state_raised")]

    def __str__(self) -> str:
        return f"{self.point.code} {self.level} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        """Whether the alarm is not closed."""
        return self.state in OPEN_STATES


class AlarmNote(models.Model):
    """A disposal note (处置记录) on an alarm, written by a person; acknowledge/handle/close may carry one."""

    class Action(models.TextChoices):
        NOTE = "note", _("备注")
        ACKNOWLEDGE = "acknowledge", _("确认")
        HANDLE = "handle", _("处置")
        CLOSE = "close", _("关闭")
        SHELVE = "shelve", _("搁置")
        UNSHELVE = "unshelve", _("取消搁置")

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="notes")
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices, default=Action.NOTE)
    text = models.TextField(_("内容"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    restrict_division_field = "alarm__point__organization__division"
    restrict_organization_field = "alarm__point__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("报警处置记录")
        verbose_name_plural = _("报警处置记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.action}: {self.text[:40]}"


class AlarmEvent(models.Model):
    """Timeline entry of an alarm: an engine event (raise, escalate, clear, offline...) or a person's action.

    ``at`` is the event time (reading time for engine events); used by the noise report
    (transitions per point, flapping).
    """

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="events")
    point = models.ForeignKey("monitoring.MonitoringPoint", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("时间"), db_index=True)
    event = models.CharField(_("事件"), max_length=24)
    from_level = models.CharField(_("原级别"), max_length=8, blank=True)
    to_level = models.CharField(_("新级别"), max_length=8, blank=True)
    value = models.FloatField(_("读数"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    restrict_division_field = "point__organization__division"
    restrict_organization_field = "point__organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("报警事件")
        verbose_name_plural = _("报警事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.event} {self.from_level}->{self.to_level}"


class AlarmGroup(models.Model):
    """Notification grouping of one site's (enterprise's) alarms, Alertmanager style.

    A new firing alarm starts ``group_wait``; after the first notification, changes are sent
    at most every ``group_interval``, an unchanged firing set is repeated every
    ``repeat_interval``. ``next_check_at`` is when ``flush_alarm_group_task`` must look
    again; ``fingerprint`` identifies the alarm set last notified; ``sequence`` numbers the
    notifications (the dedupe key, so a re-run task never sends twice).
    """

    organization = models.OneToOneField(
        "directory.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("企业")
    )
    next_check_at = models.DateTimeField(_("下次检查"), null=True, blank=True, db_index=True)
    last_notified_at = models.DateTimeField(_("最近通知"), null=True, blank=True)
    fingerprint = models.CharField(_("指纹"), max_length=64, blank=True)
    sequence = models.PositiveIntegerField(_("通知序号"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = "organization__division"
    restrict_organization_field = "organization"

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("报警通知分组")
        verbose_name_plural = _("报警通知分组")

    def __str__(self) -> str:
        return f"group {self.organization_id} #{self.sequence}"
