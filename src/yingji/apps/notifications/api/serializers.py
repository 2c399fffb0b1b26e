"""API representations of notifications, desk events and outbox rows."""

from __future__ import annotations

from rest_framework import serializers

from yingji.apps.notifications.models import DeskEvent, OutboxMessage, UserNotification


class UserNotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserNotification
        fields = ["id", "title", "body", "url", "severity", "created_at", "read_at"]
        read_only_fields = fields


class DeskEventSerializer(serializers.ModelSerializer):
    division_code = serializers.CharField(source="division.code", read_only=True, default=None)

    class Meta:
        model = DeskEvent
        fields = ["id", "kind", "title", "url", "severity", "division_code", "created_at"]
        read_only_fields = fields


class OutboxMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "channel",
            "recipient",
            "address",
            "subject",
            "body",
            "url",
            "severity",
            "dedupe_key",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields
