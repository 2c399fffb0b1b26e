from yingji.apps.duty.models.calendar import CalendarToken
from yingji.apps.duty.models.handover import HandoverItemAck, HandoverStatus, ShiftHandover
from yingji.apps.duty.models.holiday import Holiday, HolidayKind
from yingji.apps.duty.models.log import DutyLogEntry, LogKind
from yingji.apps.duty.models.roster import DutyRoster
from yingji.apps.duty.models.shift import Shift
from yingji.apps.duty.models.swap import ShiftSwap, SwapKind, SwapStatus

__all__ = [
    "CalendarToken",
    "DutyLogEntry",
    "DutyRoster",
    "HandoverItemAck",
    "HandoverStatus",
    "Holiday",
    "HolidayKind",
    "LogKind",
    "Shift",
    "ShiftHandover",
    "ShiftSwap",
    "SwapKind",
    "SwapStatus",
]
