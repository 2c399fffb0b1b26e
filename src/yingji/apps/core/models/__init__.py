"""Core models: Django discovers them here; the import aggregate lives in ``core/imports``."""

from yingji.apps.core.imports.models import ImportJob, ImportPreview, ImportStatus

__all__ = ["ImportJob", "ImportPreview", "ImportStatus"]
