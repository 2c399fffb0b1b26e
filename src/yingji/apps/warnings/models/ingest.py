"""Ingest: upstream sources of CAP messages and the messages received from them (预警信息接入/汇总)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.apps.core.querysets import RestrictedManager


class SourceKind(models.TextChoices):
    """How messages arrive from a source."""

    FEED = "feed", _("Atom/RSS 订阅")
    FOLDER = "folder", _("投递目录")
    PUSH = "push", _("HTTP 推送")
    MANUAL = "manual", _("人工上传")


class FeedSource(models.Model):
    """An upstream source of CAP messages: a polled Atom/RSS index, a watched drop folder or a push client.

    ``url`` is the index feed (kind ``feed``); ``folder`` the directory scanned for ``*.xml``
    (kind ``folder``); pushes authenticate with a per-source token of which only the SHA-256
    hash is stored (``token_hash``). County-wide configuration: no division scope.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("接入方式"), max_length=10, choices=SourceKind.choices)
    url = models.URLField(_("订阅地址"), max_length=500, blank=True)
    folder = models.CharField(_("投递目录"), max_length=500, blank=True)
    token_hash = models.CharField(_("推送令牌(SHA-256)"), max_length=64, blank=True, editable=False)
    poll_interval_s = models.PositiveIntegerField(_("轮询间隔(秒)"), default=300)
    enabled = models.BooleanField(_("启用"), default=True)
    last_polled_at = models.DateTimeField(_("上次轮询"), null=True, blank=True)
    last_status = models.CharField(_("上次结果"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("预警信息源")
        verbose_name_plural = _("预警信息源")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_token(token: str) -> str:
        """SHA-256 hex digest of a push token (what is stored)."""
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def check_token(self, token: str) -> bool:
        """Constant-time comparison of ``token`` with the stored hash (False when no token is set)."""
        return bool(self.token_hash) and secrets.compare_digest(self.token_hash, self.hash_token(token))


class UpstreamState(models.TextChoices):
    """Where a received message stands (CAP 1.2 §3.2.1 lineage; quarantine for defects)."""

    ACTIVE = "active", _("有效")
    SUPERSEDED = "superseded", _("已被更新")
    CANCELLED = "cancelled", _("已解除")
    EXPIRED = "expired", _("已过期")
    INACTIVE = "inactive", _("非预警消息")
    QUARANTINED = "quarantined", _("隔离")


class UpstreamAlert(models.Model):
    """One CAP message received from upstream (e.g. a CMA warning), with its verdict and assessment.

    ``identity`` is the CAP identity triple ``sender,identifier,sent`` (CAP 1.2 §3.2.1);
    messages that cannot be read at all are keyed ``sha256:<digest of the bytes>``. Both
    de-duplicate. ``defects`` lists every validation error and warning
    (``[{"rule", "path", "message", "severity"}]``); a message with errors is
    ``quarantined`` and shown to the duty officer with that list. ``reference_keys`` holds
    `` sender,identifier `` tokens of its ``references`` (space-padded, for lookups).
    ``assessment`` is the engine's ``Assessment.as_dict()`` against the county.
    """

    identity = models.CharField(_("标识三元组"), max_length=600, unique=True)
    source = models.ForeignKey(
        FeedSource, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("信息源")
    )
    origin = models.CharField(_("来源位置"), max_length=600, blank=True)
    sender = models.CharField(_("发送者"), max_length=255, blank=True)
    identifier = models.CharField(_("标识"), max_length=255, blank=True)
    sent = models.CharField(_("发送时间(原文)"), max_length=40, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    msg_type = models.CharField(_("消息类型"), max_length=10, blank=True)
    status = models.CharField(_("状态(CAP)"), max_length=10, blank=True)
    event = models.CharField(_("事件"), max_length=200, blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, blank=True)
    headline = models.CharField(_("标题"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    reference_keys = models.TextField(_("引用"), blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=UpstreamState.choices, db_index=True)
    retired_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retired",
        verbose_name=_("被替代于"),
    )
    valid = models.BooleanField(_("校验通过"), default=False)
    signature = models.CharField(_("签名"), max_length=10, blank=True)
    defects = models.JSONField(_("问题清单"), default=list, blank=True)
    intersects_county = models.BooleanField(_("涉及本县"), default=False)
    population = models.PositiveIntegerField(_("涉及人口"), null=True, blank=True)
    assessment = models.JSONField(_("研判结果"), default=dict, blank=True)
    raw = models.TextField(_("原文"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True, db_index=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)

    restrict_division_field = None
    restrict_organization_field = None

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("上游预警")
        verbose_name_plural = _("上游预警")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["sender", "identifier"], name="upstream_sender_identifier")]

    def __str__(self) -> str:
        return self.headline or self.identifier or self.identity[:60]

    @property
    def errors(self) -> list[dict[str, str]]:
        """The defects with severity ``error``."""
        return [d for d in self.defects if d.get("severity") == "error"]

    @property
    def lineage_key(self) -> str:
        """`` sender,identifier `` as stored in ``reference_keys`` of later messages."""
        return f" {self.sender},{self.identifier} "
