"""Huey discovers ``<app>.tasks`` modules: the core app's tasks live in its sub-packages."""

from yingji.apps.core.imports.tasks import preview_import_task

__all__ = ["preview_import_task"]
