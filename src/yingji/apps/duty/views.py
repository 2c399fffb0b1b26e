"""Duty pages: the desk (值班台), rosters, shifts, swaps, handover, duty log, calendar feeds.

Forms post with HTMX where a fragment is enough (duty-log quick entry, handover
acknowledgement); every write calls a service, whose field errors are shown on
the form (nothing saved).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from yingji.apps.core.dates import planned_date_error
from yingji.apps.core.permissions import PUBLIC
from yingji.apps.core.views import DeclaredPermissionMixin
from yingji.apps.duty import selectors, services
from yingji.apps.duty.forms import (
    PATTERNS,
    GenerateForm,
    HandoverForm,
    LogEntryForm,
    RosterForm,
    ShiftForm,
    SwapRequestForm,
    apply_service_errors,
)
from yingji.apps.duty.ical import shifts_calendar
from yingji.apps.duty.models import LogKind

GAP_DAYS = 7


def _param_day(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` query parameter, or None when absent, malformed, impossible (02-30) or
    implausible (before 2000, more than 5 years ahead): the page then shows its default."""
    try:
        day = parse_date(value or "")
    except ValueError:
        return None
    return day if day is not None and planned_date_error(day) is None else None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _today() -> date:
    return timezone.localtime(timezone.now(), services.local_tz()).date()


def _log_context(request: HttpRequest, entries: Any, form: LogEntryForm | None = None) -> dict[str, Any]:
    return {
        "entries": entries,
        "log_form": form or LogEntryForm(initial={"kind": LogKind.CALL_IN}),
        "can_log": request.user.has_perm("duty.add_dutylogentry"),
    }


class DeskView(DeclaredPermissionMixin, TemplateView):
    """值班台: who is on duty, today's shifts, the duty log with quick entry, open items, gaps."""

    required_permission = "duty.view_shift"
    template_name = "duty/desk.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        start, end = selectors.local_day_bounds(_today())
        ctx.update(_log_context(self.request, selectors.log_entries_for(user, day=_today())[:30]))
        ctx.update(
            {
                "duty": selectors.on_duty_now(now, user=user),
                "today_shifts": selectors.shifts_for(user, start=start, end=end),
                "open_items": selectors.open_items_for(user),
                "pending_handovers": selectors.pending_handovers_to(user),
                "gap_rosters": selectors.coverage_gaps_for(user, now, now + timedelta(days=GAP_DAYS)),
                "gap_days": GAP_DAYS,
                "pending_swaps": selectors.pending_swaps_for_approver(user)[:20],
            }
        )
        return ctx


class LogView(DeclaredPermissionMixin, TemplateView):
    """值班日志: entries filtered by shift / day / kind, with the entry form."""

    required_permission = "duty.view_dutylogentry"
    template_name = "duty/log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET
        day = _param_day(params.get("date"))
        shift = int(params["shift"]) if params.get("shift", "").isdigit() else None
        kind = params.get("kind") if params.get("kind") in LogKind.values else None
        ctx.update(
            _log_context(
                self.request,
                selectors.log_entries_for(self.request.user, shift=shift, day=day, kind=kind)[:500],
            )
        )
        ctx.update(
            {
                "kinds": LogKind.choices,
                "f_date": params.get("date", ""),
                "f_shift": shift or "",
                "f_kind": kind or "",
            }
        )
        return ctx


class LogCreateView(DeclaredPermissionMixin, View):
    """POST a duty-log entry; HTMX gets the log fragment (table + fresh or erroneous form) back."""

    required_permission = "duty.add_dutylogentry"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LogEntryForm(request.POST)
        if form.is_valid():
            try:
                services.add_duty_log_entry(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                form = LogEntryForm(initial={"kind": form.cleaned_data["kind"]})
                if not _is_htmx(request):
                    messages.success(request, _("已记录值班日志。"))
                    return redirect(request.POST.get("next") or reverse("duty:log"))
        entries = selectors.log_entries_for(request.user, day=_today())[:30]
        ctx = _log_context(request, entries, form)
        status = 200 if not form.errors else 400
        if _is_htmx(request):
            # htmx swaps only 2xx by default: field errors come back as 200 with the form re-rendered.
            return render(request, "duty/_log.html", ctx)
        return render(request, "duty/log.html", {**ctx, "kinds": LogKind.choices}, status=status)


class RosterListView(DeclaredPermissionMixin, TemplateView):
    """排班表 list with a create form."""

    required_permission = "duty.view_dutyroster"
    template_name = "duty/roster_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["rosters"] = selectors.rosters_for(self.request.user)
        ctx.setdefault("form", RosterForm())
        ctx["can_add"] = self.request.user.has_perm("duty.add_dutyroster")
        return ctx

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("duty.add_dutyroster"):
            raise PermissionDenied
        form = RosterForm(request.POST)
        if form.is_valid():
            try:
                roster = services.create_roster(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("duty:roster-detail", pk=roster.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RosterDetailView(DeclaredPermissionMixin, TemplateView):
    """One roster: shifts of a window, its coverage gaps, the rotation generator."""

    required_permission = "duty.view_dutyroster"
    template_name = "duty/roster_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        roster = selectors.get_roster_for(user, self.kwargs["pk"])
        first = _param_day(self.request.GET.get("from")) or _today()
        days = 14
        start, _end = selectors.local_day_bounds(first)
        end = start + timedelta(days=days)
        ctx.update(
            {
                "roster": roster,
                "shifts": selectors.shifts_for(user, roster=roster, start=start, end=end),
                "gaps": selectors.coverage_gaps_for(user, start, end, roster=roster),
                "first": first,
                "prev": first - timedelta(days=days),
                "next": first + timedelta(days=days),
                "can_generate": user.has_perm("duty.add_shift"),
                "calendar_token": selectors.calendar_token_of(user),
            }
        )
        if "generate_form" not in ctx:
            ctx["generate_form"] = GenerateForm(
                people=selectors.duty_staff(),
                initial={
                    "starts_on": first,
                    "ends_on": first + timedelta(days=6),
                    "officers_per_shift": roster.officers_required,
                },
            )
        return ctx


class RosterGenerateView(RosterDetailView):
    """POST: generate a rotation for the roster (errors shown on the generator form)."""

    required_permission = "duty.add_shift"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        roster = selectors.get_roster_for(request.user, pk)
        form = GenerateForm(request.POST, people=selectors.duty_staff())
        if form.is_valid():
            data = form.cleaned_data
            slots = PATTERNS[data["pattern"]]
            try:
                result = services.generate_rotation(
                    roster,
                    actor=request.user,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    slots=slots,
                    holiday_slots=PATTERNS["12h"],
                    leaders=list(data["leaders"]),
                    officers=list(data["officers"]),
                    officers_per_shift=data["officers_per_shift"],
                    weekdays=data["weekdays"],
                    holiday_policy=data["holiday_policy"],
                    leader_rotation=data["leader_rotation"],
                    officer_rotation=data["officer_rotation"],
                    coverage=data["coverage"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已生成 %(n)d 个班次,空档 %(g)d 处。")
                    % {"n": len(result.shifts), "g": len(result.plan.gaps)},
                )
                return redirect(
                    f"{reverse('duty:roster-detail', args=[pk])}?from={data['starts_on']:%Y-%m-%d}"
                )
        return self.render_to_response(self.get_context_data(generate_form=form), status=400)


class ShiftEditView(DeclaredPermissionMixin, TemplateView):
    """Edit one shift; the hidden ``version`` turns a concurrent edit into a conflict, not a lost update."""

    required_permission = "duty.change_shift"
    template_name = "duty/shift_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shift = selectors.get_shift_for(request.user, kwargs["pk"], action="change")
        form = ShiftForm(
            people=selectors.duty_staff(),
            initial={
                "starts_at": timezone.localtime(shift.starts_at),
                "ends_at": timezone.localtime(shift.ends_at),
                "label": shift.label,
                "leader": shift.leader,
                "officers": list(shift.officers.all()),
                "note": shift.note,
                "version": shift.version,
            },
        )
        return self.render_to_response({"shift": shift, "form": form})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shift = selectors.get_shift_for(request.user, kwargs["pk"], action="change")
        form = ShiftForm(request.POST, people=selectors.duty_staff())
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("version") or 0
            data["officers"] = list(data["officers"])
            try:
                services.update_shift(shift, actor=request.user, expected_version=expected, **data)
            except services.ShiftVersionConflict as exc:
                form.add_error(
                    None,
                    _("该班次已被他人修改(当前版本 %(v)d),您的修改未保存。请刷新后重新编辑。")
                    % {"v": exc.current.version},
                )
                return self.render_to_response({"shift": shift, "form": form, "conflict": True}, status=409)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("班次已保存。"))
                return redirect("duty:roster-detail", pk=shift.roster_id)
        return self.render_to_response({"shift": shift, "form": form}, status=400)


class SwapListView(DeclaredPermissionMixin, TemplateView):
    """调班/替班 requests; approvers see approve/reject buttons on others' pending requests."""

    required_permission = "duty.view_shiftswap"
    template_name = "duty/swap_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["swaps"] = selectors.swaps_for(self.request.user)[:200]
        ctx["can_approve"] = self.request.user.has_perm("duty.approve_shiftswap")
        return ctx


class SwapRequestView(DeclaredPermissionMixin, TemplateView):
    """Request an override or swap on one shift."""

    required_permission = "duty.add_shiftswap"
    template_name = "duty/swap_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shift = selectors.get_shift_for(request.user, kwargs["pk"])
        initial = {"original_person": request.user.pk}
        return self.render_to_response(
            {"shift": shift, "form": SwapRequestForm(people=selectors.duty_staff(), initial=initial)}
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shift = selectors.get_shift_for(request.user, kwargs["pk"])
        form = SwapRequestForm(request.POST, people=selectors.duty_staff())
        if form.is_valid():
            data = dict(form.cleaned_data)
            other_id = data.pop("counterpart_shift")
            try:
                counterpart = selectors.get_shift_for(request.user, other_id) if other_id else None
            except Http404:
                form.add_error("counterpart_shift", _("找不到该班次。"))
            else:
                try:
                    services.request_shift_swap(
                        actor=request.user, shift=shift, counterpart_shift=counterpart, **data
                    )
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, _("申请已提交,待审批。"))
                    return redirect("duty:swap-list")
        return self.render_to_response({"shift": shift, "form": form}, status=400)


class SwapDecisionView(DeclaredPermissionMixin, View):
    """POST approve / reject (``decision`` = approve|reject); the requester is refused by the service."""

    required_permission = "duty.approve_shiftswap"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        swap = selectors.get_swap_for(request.user, pk)
        decide = (
            services.approve_shift_swap
            if request.POST.get("decision") == "approve"
            else services.reject_shift_swap
        )
        try:
            decide(swap, actor=request.user, note=request.POST.get("note", "")[:300])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已处理。"))
        return redirect("duty:swap-list")


class HandoverListView(DeclaredPermissionMixin, TemplateView):
    """交接班 records."""

    required_permission = "duty.view_shifthandover"
    template_name = "duty/handover_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["handovers"] = selectors.handovers_for(self.request.user)[:200]
        return ctx


class HandoverCreateView(DeclaredPermissionMixin, TemplateView):
    """The outgoing officer writes the summary; open items are carried over automatically."""

    required_permission = "duty.add_shifthandover"
    template_name = "duty/handover_form.html"

    def _context(self, form: HandoverForm) -> dict[str, Any]:
        return {"form": form, "open_items": selectors.open_items_for(self.request.user)}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(
            self._context(HandoverForm(people=selectors.duty_staff().exclude(pk=request.user.pk)))
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = HandoverForm(request.POST, people=selectors.duty_staff())
        if form.is_valid():
            now = timezone.now()
            mine = selectors.shifts_for(
                request.user, start=now, end=now + timedelta(seconds=1), person=request.user
            ).first()
            try:
                handover = services.hand_over_shift(actor=request.user, from_shift=mine, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("duty:handover-detail", pk=handover.pk)
        return self.render_to_response(self._context(form), status=400)


class HandoverDetailView(DeclaredPermissionMixin, TemplateView):
    """One handover with its items; the incoming officer acknowledges them here."""

    required_permission = "duty.view_shifthandover"
    template_name = "duty/handover_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        handover = selectors.get_handover_for(self.request.user, self.kwargs["pk"])
        ctx["handover"] = handover
        ctx["can_ack"] = handover.incoming_officer_id == self.request.user.pk and not handover.is_complete
        return ctx


class HandoverAckView(DeclaredPermissionMixin, View):
    """POST ``item`` ids or ``all=1`` (explicit); HTMX gets the refreshed items fragment."""

    required_permission = "duty.change_shifthandover"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        handover = selectors.get_handover_for(request.user, pk)
        error = ""
        try:
            services.acknowledge_handover(
                handover,
                actor=request.user,
                item_ids=[int(i) for i in request.POST.getlist("item") if i.isdigit()],
                all_items=request.POST.get("all") == "1",
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        handover = selectors.get_handover_for(request.user, pk)
        ctx = {
            "handover": handover,
            "can_ack": handover.incoming_officer_id == request.user.pk and not handover.is_complete,
            "ack_error": error,
        }
        if _is_htmx(request):
            return render(request, "duty/_handover_items.html", ctx)
        if error:
            messages.error(request, error)
        return redirect("duty:handover-detail", pk=pk)


class CalendarView(DeclaredPermissionMixin, TemplateView):
    """My calendar-feed URLs (iCal), and rotating the token."""

    required_permission = "duty.view_shift"
    template_name = "duty/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        token = services.ensure_calendar_token(actor=self.request.user).token
        ctx["my_url"] = self.request.build_absolute_uri(reverse("duty:ical-person", args=[token]))
        ctx["rosters"] = [
            (r, self.request.build_absolute_uri(reverse("duty:ical-roster", args=[token, r.pk])))
            for r in selectors.rosters_for(self.request.user)
        ]
        return ctx

    def post(self, request: HttpRequest) -> HttpResponse:
        services.rotate_calendar_token(actor=request.user)
        messages.success(request, _("已更换订阅令牌,旧链接已失效。"))
        return redirect("duty:calendar")


class _FeedView(DeclaredPermissionMixin, View):
    """Token-authenticated iCal feed: the token names the user, whose own restrictions apply."""

    required_permission = PUBLIC  # authenticated by the unguessable per-user token in the URL

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        owner = selectors.user_for_calendar_token(kwargs.get("token", ""))
        if owner is None or not owner.has_perm("duty.view_shift"):
            raise Http404
        self.owner = owner
        return super().dispatch(request, *args, **kwargs)

    def window(self) -> tuple[datetime, datetime]:
        now = timezone.now()
        return now - timedelta(days=31), now + timedelta(days=92)

    def respond(self, shifts: Any, name: str) -> HttpResponse:
        body = shifts_calendar(shifts, name=name, host=self.request.get_host().split(":")[0] or "yingji")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response


class PersonFeedView(_FeedView):
    """Shifts of the token's owner (last month to three months ahead)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        start, end = self.window()
        shifts = selectors.shifts_for(self.owner, start=start, end=end, person=self.owner)
        return self.respond(shifts, f"{self.owner} 值班")


class RosterFeedView(_FeedView):
    """All shifts of one roster the token's owner may see."""

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        roster = selectors.get_roster_for(self.owner, pk)
        start, end = self.window()
        return self.respond(
            selectors.shifts_for(self.owner, roster=roster, start=start, end=end), f"{roster.name} 值班表"
        )
