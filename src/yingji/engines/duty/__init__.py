"""Duty engine (值班排班): rotation generation and coverage-gap detection. Pure Python, no Django."""

from yingji.engines.duty.rotation import (
    CoverageGap,
    CoverageMode,
    CoverageShift,
    GapReason,
    HolidayDate,
    HolidayKind,
    HolidayPolicy,
    PersonLoad,
    PlannedShift,
    RotationInputError,
    RotationPlan,
    RotationRequest,
    RotationUnit,
    ShiftSlot,
    coverage_gaps,
    plan_rotation,
)

__all__ = [
    "CoverageGap",
    "CoverageMode",
    "CoverageShift",
    "GapReason",
    "HolidayDate",
    "HolidayKind",
    "HolidayPolicy",
    "PersonLoad",
    "PlannedShift",
    "RotationInputError",
    "RotationPlan",
    "RotationRequest",
    "RotationUnit",
    "ShiftSlot",
    "coverage_gaps",
    "plan_rotation",
]
