"""Risk engine: GB 18218-2018 major hazards, LEC and LS grading, CAS numbers, and the
chemical-industry major hidden-danger checklist. Pure Python (no Django)."""

from ._common import RiskInputError
from .cas import InvalidCASError, cas_check_digit, is_valid_cas, normalize_cas
from .hidden_danger import ChecklistItem, HiddenDangerProposal, checklist, propose_grade
from .lec import LecResult, evaluate_lec
from .ls_matrix import LsResult, evaluate_ls
from .major_hazard import (
    AmbiguousSubstanceError,
    GradingIncompleteError,
    HazardAssessment,
    HazardTerm,
    SubstanceInput,
    UnknownSubstanceError,
    alpha_for_population,
    assess_unit,
    grading_index,
    identification_index,
    level_for_r,
    resolve_beta,
    resolve_threshold,
)

__all__ = [
    "AmbiguousSubstanceError",
    "ChecklistItem",
    "GradingIncompleteError",
    "HazardAssessment",
    "HazardTerm",
    "HiddenDangerProposal",
    "InvalidCASError",
    "LecResult",
    "LsResult",
    "RiskInputError",
    "SubstanceInput",
    "UnknownSubstanceError",
    "alpha_for_population",
    "assess_unit",
    "cas_check_digit",
    "checklist",
    "evaluate_lec",
    "evaluate_ls",
    "grading_index",
    "identification_index",
    "is_valid_cas",
    "level_for_r",
    "normalize_cas",
    "propose_grade",
    "resolve_beta",
    "resolve_threshold",
]
