from yingji.apps.notifications.models.desk_event import DeskEvent
from yingji.apps.notifications.models.outbox import Channel, OutboxMessage, OutboxStatus
from yingji.apps.notifications.models.user_notification import UserNotification

__all__ = ["Channel", "DeskEvent", "OutboxMessage", "OutboxStatus", "UserNotification"]
