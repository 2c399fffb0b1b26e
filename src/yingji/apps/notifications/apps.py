from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications outbox and channel adapters (in-app, email, SMS gateway)."""

    name = "yingji.apps.notifications"
    label = "notifications"
    verbose_name = "通知"
