"""County warnings (预警) authored here, approved under the two-person rule and released as CAP 1.2."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager, RestrictedQuerySet
from yingji.apps.warnings.models.authoring import Category, Severity, WarningTemplate
from yingji.apps.warnings.models.ingest import UpstreamAlert
from yingji.engines.warnings.colour import level_for_severity


class WarningState(models.TextChoices):
    """Workflow: draft → pending → approved → released → superseded / cancelled / expired."""

    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    REJECTED = "rejected", _("已退回")
    APPROVED = "approved", _("已审核待发布")
    RELEASED = "released", _("已发布")
    SUPERSEDED = "superseded", _("已更新")
    CANCELLED = "cancelled", _("已解除")
    EXPIRED = "expired", _("已过期")


EDITABLE_STATES = (WarningState.DRAFT, WarningState.REJECTED)
RELEASED_STATES = (
    WarningState.RELEASED,
    WarningState.SUPERSEDED,
    WarningState.CANCELLED,
    WarningState.EXPIRED,
)


class MsgType(models.TextChoices):
    """CAP 1.2 ``msgType`` (Ack and Error are not authored here)."""

    ALERT = "Alert", _("发布")
    UPDATE = "Update", _("更新")
    CANCEL = "Cancel", _("解除")


class CapStatus(models.TextChoices):
    """CAP 1.2 ``status``."""

    ACTUAL = "Actual", _("实际")
    EXERCISE = "Exercise", _("演练")
    TEST = "Test", _("测试")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("立即")
    EXPECTED = "Expected", _("预期(1小时内)")
    FUTURE = "Future", _("将来")
    PAST = "Past", _("已过去")
    UNKNOWN = "Unknown", _("未知")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("已观测")
    LIKELY = "Likely", _("很可能")
    POSSIBLE = "Possible", _("可能")
    UNLIKELY = "Unlikely", _("不太可能")
    UNKNOWN = "Unknown", _("未知")


class ResponseType(models.TextChoices):
    SHELTER = "Shelter", _("就地避险")
    EVACUATE = "Evacuate", _("转移撤离")
    PREPARE = "Prepare", _("做好准备")
    EXECUTE = "Execute", _("执行预案")
    AVOID = "Avoid", _("避开")
    MONITOR = "Monitor", _("关注")
    ALLCLEAR = "AllClear", _("解除")
    NONE = "None", _("无")


class Channel(models.TextChoices):
    """Dissemination channels (发布渠道); the CAP ``BLOCKCHANNEL`` parameter names them in upper case."""

    SMS = "sms", _("短信")
    BROADCAST = "broadcast", _("应急广播")
    LOUDSPEAKER = "loudspeaker", _("农村大喇叭")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("Webhook")


class Warning(models.Model):
    """A county warning message: one CAP ``alert`` with a zh-CN and a second-language ``info``.

    Areas are divisions (``areas``; the county means the whole county) and/or one drawn
    polygon (``polygon``: CAP text ``lat,lon lat,lon ...``, first = last, WGS 84). Times
    are aware datetimes written with ``+08:00``. ``identifier`` (GB/T 35965.1:
    ``<sender code>_<YYYYMMDDhhmmss>[_N]``), ``sent`` and ``cap_xml`` are fixed at release;
    ``replaces`` is the released warning an Update/Cancel refers to. Two-person rule:
    ``approved_by`` differs from ``author`` and ``submitted_by`` (enforced in services).
    County-wide: every holder of ``warnings.view_warning`` may read all warnings.
    """

    state = models.CharField(
        _("状态"), max_length=12, choices=WarningState.choices, default=WarningState.DRAFT, db_index=True
    )
    msg_type = models.CharField(_("消息类型"), max_length=8, choices=MsgType.choices, default=MsgType.ALERT)
    status = models.CharField(_("性质"), max_length=10, choices=CapStatus.choices, default=CapStatus.ACTUAL)
    identifier = models.CharField(_("标识"), max_length=64, blank=True, db_index=True)
    sent = models.DateTimeField(_("发布时间"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("引用"),
    )
    template = models.ForeignKey(
        WarningTemplate, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("模板")
    )
    upstream = models.ForeignKey(
        UpstreamAlert,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("依据上游预警"),
    )
    trigger_kind = models.CharField(_("触发来源"), max_length=10, blank=True)
    trigger_ref = models.CharField(_("触发对象"), max_length=100, blank=True)
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices, default=Category.MET)
    event = models.CharField(_("事件"), max_length=60)
    event_en = models.CharField(_("事件(第二语言)"), max_length=60, blank=True)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices)
    urgency = models.CharField(
        _("紧迫程度"), max_length=10, choices=Urgency.choices, default=Urgency.EXPECTED
    )
    certainty = models.CharField(
        _("确定程度"), max_length=10, choices=Certainty.choices, default=Certainty.LIKELY
    )
    response_type = models.CharField(
        _("响应类型"), max_length=10, choices=ResponseType.choices, default=ResponseType.PREPARE
    )
    onset = models.DateTimeField(_("开始时间"), null=True, blank=True)
    expires = models.DateTimeField(_("失效时间"))
    headline = models.CharField(_("标题"), max_length=160)
    description = models.TextField(_("描述"))
    instruction = models.TextField(_("防御指南"), blank=True)
    second_language = models.CharField(_("第二语言"), max_length=10, default="en-US")
    headline_2 = models.CharField(_("标题(第二语言)"), max_length=300, blank=True)
    description_2 = models.TextField(_("描述(第二语言)"), blank=True)
    instruction_2 = models.TextField(_("防御指南(第二语言)"), blank=True)
    areas = models.ManyToManyField(
        "directory.AdministrativeDivision", blank=True, related_name="+", verbose_name=_("预警区域")
    )
    polygon = models.TextField(_("绘制区域(CAP polygon)"), blank=True)
    sms_text = models.CharField(_("短信文本"), max_length=350, blank=True)
    broadcast_text = models.TextField(_("应急广播文本"), blank=True)
    loudspeaker_text = models.TextField(_("大喇叭文本"), blank=True)
    blocked_channels = models.JSONField(_("不使用的渠道"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("起草人"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    cap_xml = models.TextField(_("CAP 报文"), blank=True)
    reach = models.PositiveIntegerField(_("覆盖人口"), null=True, blank=True)
    reach_basis = models.CharField(_("人口口径"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_warning", _("审核预警(双人复核)")),
            ("release_warning", _("签发预警")),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def colour(self) -> str:
        """English colour name (red/orange/yellow/blue) for CSS; ``""`` when none."""
        level = level_for_severity(self.severity)
        return level.colour_en if level else ""

    @property
    def level_label(self) -> str:
        """``黄色 Ⅲ级`` style label of the severity."""
        level = level_for_severity(self.severity)
        return f"{level.colour_zh} {level.level}" if level else self.severity

    @property
    def is_editable(self) -> bool:
        """Drafts and returned warnings can be edited."""
        return self.state in EDITABLE_STATES


class PublicWarningQuerySet(RestrictedQuerySet):
    """Released warnings of status Actual (what the public page shows)."""


class PublicWarningManager(models.Manager.from_queryset(PublicWarningQuerySet)):  # type: ignore[misc]
    """Only released ``Actual`` warnings (``restrict`` is available)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(state=WarningState.RELEASED, status=CapStatus.ACTUAL)


class PublicWarning(Warning):
    """The public face of a released warning (public viewer role: ``warnings.view_publicwarning``).

    A proxy: same rows as ``Warning``, restricted to released ``Actual`` messages.
    """

    objects = PublicWarningManager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("公开预警")
        verbose_name_plural = _("公开预警")
        default_permissions = ("view",)


class LogAction(models.TextChoices):
    CREATED = "created", _("起草")
    PROPOSED = "proposed", _("规则建议")
    EDITED = "edited", _("修改")
    SUBMITTED = "submitted", _("提交审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("退回")
    RELEASED = "released", _("发布")
    SUPERSEDED = "superseded", _("被更新")
    CANCELLED = "cancelled", _("被解除")
    EXPIRED = "expired", _("过期")


class WarningLogEntry(models.Model):
    """Timeline of one warning: who drafted, edited, submitted, approved, rejected, released it.

    ``details`` holds what changed (``{"field": [before, after]}``) or the rejection reason.
    """

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="log", verbose_name=_("预警"))
    action = models.CharField(_("动作"), max_length=12, choices=LogAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("预警记录")
        verbose_name_plural = _("预警记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.actor_label}"
