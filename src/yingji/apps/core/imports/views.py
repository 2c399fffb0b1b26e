"""Import pages: upload form + job list, the preview page (with progress poll), import,
override, template and original-file downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from yingji.apps.core.imports import selectors, services
from yingji.apps.core.imports.forms import OverrideForm, UploadForm
from yingji.apps.core.imports.models import ImportJob, ImportStatus
from yingji.apps.core.imports.registry import (
    NoImportTarget,
    UnknownImportKind,
    column_labels,
    display_value,
    kind_visible_to,
    kinds_for,
    registered_kind,
)
from yingji.apps.core.imports.workbook import XLSX_CONTENT_TYPE, template_xlsx
from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.engines.normalize.places import township_name
from yingji.engines.normalize.schema import KINDS

ROWS_PER_PAGE = 500


def _index_context(request: HttpRequest, form: UploadForm) -> dict[str, Any]:
    return {
        "form": form,
        "jobs": selectors.jobs_for(request.user)[:50],
        "kinds": kinds_for(request.user),
        "async_kib": services.async_threshold() // 1024,
    }


class ImportIndexView(DeclaredPermissionMixin, TemplateView):
    """Upload form, template downloads and the user's recent import jobs."""

    required_permission = services.VIEW_PERMISSION
    template_name = "imports/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        # ?kind=… (the registry pages' "import" links) preselects the kind
        form = UploadForm(user=self.request.user, initial={"kind": self.request.GET.get("kind", "")})
        ctx.update(_index_context(self.request, form))
        return ctx


class UploadView(DeclaredPermissionMixin, View):
    """POST: keep the file, preview it, go to the preview page (form errors re-render).

    A registered kind the user may not import (e.g. shelters for an enterprise safety
    manager) is a 403, like the API; an unknown kind or one without a target a form error.
    """

    required_permission = services.ADD_PERMISSION

    def post(self, request: HttpRequest) -> HttpResponse:
        target = registered_kind(str(request.POST.get("kind", "")))
        if target is not None and not request.user.has_perm(target.permission):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.preview_upload(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    data=upload.read(),
                    filename=upload.name or "upload",
                    crs=form.cleaned_data.get("crs") or None,
                    context_year=form.cleaned_data.get("context_year"),
                )
            except (UnknownImportKind, NoImportTarget) as exc:
                form.add_error("kind", str(exc))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return HttpResponseRedirect(reverse("imports:job", args=[job.pk]))
        return render(request, "imports/index.html", _index_context(request, form), status=400)


def _display(kind: str, column: str, value: Any) -> str:
    """A preview cell: townships as 名称(代码), else the kind's label (``display_value``)."""
    if value is not None and column == "township":
        name = township_name(str(value))
        return f"{name}({value})" if name else str(value)
    return display_value(kind, column, value)


def preview_context(job: ImportJob, page_number: str | None) -> dict[str, Any]:
    """Template context of a job's preview: columns in engine order, one page of rows
    to import (as stored), every rejection/warning/duplicate with column labels."""
    data = job.preview.data if hasattr(job, "preview") else {}
    labels = column_labels(job.kind)
    imported = data.get("imported") or []
    present = {c for r in imported for c, v in r["values"].items() if v is not None}
    columns = [c.name for c in KINDS[job.kind].columns if c.name in present] if job.kind in KINDS else []
    page = Paginator(imported, ROWS_PER_PAGE).get_page(page_number)
    rows = [
        {"row": r["row"], "cells": [_display(job.kind, c, r["values"].get(c)) for c in columns]} for r in page
    ]

    def label(column: str | None) -> str:
        return labels.get(column or "", column or "")

    return {
        "preview": data,
        "columns": [{"name": c, "label": label(c)} for c in columns],
        "rows": rows,
        "page": page,
        "rejected": [{**r, "label": label(r.get("column"))} for r in data.get("rejected") or []],
        "warnings": [{**w, "label": label(w.get("column"))} for w in data.get("warnings") or []],
        "duplicates": data.get("duplicates") or [],
        "overrides": [
            {"row": k.partition(":")[0], "label": label(k.partition(":")[2]), **v}
            for k, v in (job.overrides or {}).items()
        ],
    }


class JobDetailView(DeclaredPermissionMixin, TemplateView):
    """The preview page: how the file was read, every row to import, every rejection,
    warning and duplicate; the import button; a progress bar while a task previews."""

    required_permission = services.VIEW_PERMISSION
    template_name = "imports/job_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        job = selectors.get_job_for(self.request.user, self.kwargs["pk"])
        target = registered_kind(job.kind)
        user = self.request.user
        may_import = bool(
            target and user.has_perm(services.ADD_PERMISSION) and user.has_perm(target.permission)
        )
        ctx.update(
            job=job,
            target=target,
            can_commit=may_import and job.status == ImportStatus.PREVIEWED and job.valid_rows > 0,
            can_override=bool(
                target
                and job.status == ImportStatus.PREVIEWED
                and user.has_perm(services.OVERRIDE_PERMISSION)
                and user.has_perm(target.permission)
            ),
        )
        if job.status != ImportStatus.QUEUED:
            ctx.update(preview_context(job, self.request.GET.get("page")))
        return ctx


class JobStatusView(DeclaredPermissionMixin, View):
    """HTMX poll target: the progress bar of a job being previewed or imported in the
    background; once done, tells htmx to reload the page."""

    required_permission = services.VIEW_PERMISSION

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = selectors.get_job_for(request.user, pk)
        response = render(request, "imports/_progress.html", {"job": job})
        if not job.in_progress:
            response["HX-Refresh"] = "true"
        return response


class CommitView(DeclaredPermissionMixin, View):
    """POST: import the valid rows of a previewed job (one transaction, or nothing)."""

    required_permission = services.ADD_PERMISSION

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = selectors.get_job_for(request.user, pk)
        try:
            job = services.request_import(job, actor=request.user)
        except (UnknownImportKind, NoImportTarget) as exc:
            messages.error(request, str(exc))
        except services.ImportRefused as exc:
            messages.error(request, str(exc))
        else:
            if job.status == ImportStatus.IMPORTING:
                messages.info(request, _("正在后台导入,完成后本页自动刷新。"))
            else:
                messages.success(request, _("已导入 %(n)d 条记录。") % {"n": job.imported_rows})
        return HttpResponseRedirect(reverse("imports:job", args=[pk]))


class OverrideView(DeclaredPermissionMixin, View):
    """POST: accept an overridable rejection with a reason (authorised users only)."""

    required_permission = services.OVERRIDE_PERMISSION

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = selectors.get_job_for(request.user, pk)
        form = OverrideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写强制通过的理由。"))
            return HttpResponseRedirect(reverse("imports:job", args=[pk]))
        try:
            services.override_import_error(
                job,
                actor=request.user,
                row=form.cleaned_data["row"],
                column=form.cleaned_data["column"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except (services.ImportRefused, UnknownImportKind, NoImportTarget) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已强制通过,预览已更新。"))
        return HttpResponseRedirect(reverse("imports:job", args=[pk]))


class TemplateDownloadView(DeclaredPermissionMixin, View):
    """GET: the .xlsx template of a kind (its header row); 404 for kinds the user is not shown."""

    required_permission = services.VIEW_PERMISSION

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in KINDS or not kind_visible_to(request.user, kind):
            raise Http404
        target = registered_kind(kind)
        title = str(target.label) if target else KINDS[kind].title
        response = HttpResponse(template_xlsx(kind, title=title), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
        return response


class OriginalFileView(DeclaredPermissionMixin, View):
    """GET: the original uploaded file of a job, byte for byte."""

    required_permission = services.VIEW_PERMISSION

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job = selectors.get_job_for(request.user, pk)
        try:
            handle = job.open_original()
        except OSError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=job.original_name)
