"""Pages of the qbr app: the client's QBR tab, a meeting's page (prepare, run, close), the practice's
Meetings list and QBR settings (the report's pages: `qbr.report_views`). Thin views: they
check access (ClientMixin / PracticeMixin), call a selector or a service, render. Objects named in
the URL come from the practice- and client-scoped lookups (else 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from clients.mixins import ClientPageMixin
from vcio.forms import run_service
from vcio.listing import chosen_sort, csv_response, paginate, paginate_kept
from vcio.models import scoped_object_or_404

from . import report_services, selectors, services
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    HoldForm,
    MeetingFilterForm,
    MeetingForm,
    NotesForm,
    QBRSettingsForm,
)
from .ics import meeting_ics
from .meetings_html import meeting_rows_html
from .models import ActionItem, AgendaItem, Meeting, MeetingKind, MeetingStatus, ReportBatch

POLL_SECONDS = 1


class QbrPageMixin(ClientPageMixin):
    tab = "qbr"

    def url(self, name, *args):
        return reverse(f"qbr:{name}", args=[self.practice.slug, self.client_obj.pk, *args])

    def meeting(self, pk) -> Meeting:
        return self.scoped(Meeting.objects.select_related("client"), pk)


# --- the client's QBR tab -------------------------------------------------------------------------


class QbrTabView(QbrPageMixin, TemplateView):
    template_name = "qbr/client_qbr.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        client = self.client_obj
        meetings = list(selectors.client_meetings(client=client)[:30])
        now = timezone.now()
        ctx.update(
            upcoming=sorted(
                [m for m in meetings if m.status == MeetingStatus.PLANNED and m.scheduled_at >= now],
                key=lambda m: m.scheduled_at,
            ),
            past=[m for m in meetings if not (m.status == MeetingStatus.PLANNED and m.scheduled_at >= now)],
            reports=list(selectors.client_reports(client=client)[:20]),
            action_items=list(selectors.open_action_items(client=client)[:50]),
            today=timezone.localdate(),
            show_meeting=True,
        )
        ctx["next_qbr"] = next((m for m in ctx["upcoming"] if m.kind == MeetingKind.QBR), None)
        return ctx


# --- meetings -------------------------------------------------------------------------------------


class MeetingFormView(QbrPageMixin, FormView):
    """Plan a meeting (prepare: when, where, who, agenda) or change one."""

    template_name = "qbr/meeting_form.html"
    form_class = MeetingForm
    read_perm = Perm.EDIT

    def get_meeting(self):
        if not hasattr(self, "_meeting"):
            pk = self.kwargs.get("meeting_pk")
            self._meeting = (
                self.scoped(
                    Meeting.objects.select_related("client").prefetch_related(
                        "member_links", "contact_links", "agenda_items"
                    ),
                    pk,
                )
                if pk
                else None
            )
        return self._meeting

    def get_initial(self):
        initial = super().get_initial()
        if self.get_meeting() is None:
            kind = self.request.GET.get("kind", MeetingKind.QBR)
            kind = kind if kind in MeetingKind.values else MeetingKind.QBR
            initial.update(
                kind=kind,
                members=[self.request.user.pk],
                contacts=[c.pk for c in selectors.contact_choices(client=self.client_obj) if c.is_executive],
                agenda="\n".join(services.DEFAULT_QBR_AGENDA) if kind == MeetingKind.QBR else "",
            )
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj, instance=self.get_meeting())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["meeting"] = self.get_meeting()
        return ctx

    def form_valid(self, form):
        meeting = self.get_meeting()
        data = form.service_data()
        if meeting is None:
            result = run_service(
                form, services.meeting_create, client=self.client_obj, actor=self.request.user, **data
            )
        else:
            result = run_service(
                form, services.meeting_update, meeting=meeting, actor=self.request.user, **data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{result.display_title} on {timezone.localtime(result.scheduled_at):%Y-%m-%d %H:%M} saved.",
        )
        return redirect(self.url("meeting", result.pk))


class MeetingDetailView(QbrPageMixin, TemplateView):
    """A meeting's page: prepare (agenda, attendees), run (notes, action items inline), close (hold)."""

    template_name = "qbr/meeting_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            meeting = selectors.meeting_detail(client=self.client_obj, pk=self.kwargs["meeting_pk"])
        except (Meeting.DoesNotExist, ValidationError, ValueError):
            raise Http404("No such meeting.") from None
        ctx.update(
            meeting=meeting,
            agenda=list(meeting.agenda_items.all()),
            action_items=list(meeting.action_items.all()),
            notes_form=NotesForm(initial={"notes": meeting.notes}),
            agenda_form=AgendaItemForm(),
            action_form=ActionItemForm(practice=self.practice, client=self.client_obj),
            hold_form=_hold_form(meeting) if meeting.status == MeetingStatus.PLANNED else None,
            history=selectors.meeting_history(meeting=meeting),
            reports=list(selectors.client_reports(client=self.client_obj).filter(meeting=meeting)[:5]),
            today=timezone.localdate(),
        )
        return ctx


def _hold_form(meeting, data=None):
    initial = {}
    if meeting.kind == MeetingKind.QBR:
        initial = {
            "next_scheduled_at": timezone.localtime(services.next_qbr_at(meeting)),
            "propose_next": True,
        }
    return HoldForm(data, meeting=meeting, initial=initial)


class MeetingNotesView(QbrPageMixin, View):
    """Save the meeting's notes (htmx: answers with the notes card, saved)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.meeting(kwargs["meeting_pk"])
        form = NotesForm(request.POST)
        saved = form.is_valid() and run_service(
            form,
            services.meeting_set_notes,
            meeting=meeting,
            actor=request.user,
            notes=form.cleaned_data["notes"],
        )
        if request.htmx:
            ctx = {
                "practice": self.practice,
                "client": self.client_obj,
                "meeting": meeting,
                "notes_form": form,
                "saved": bool(saved),
                "can": request.can,
            }
            return TemplateResponse(request, "qbr/_notes.html", ctx, status=200 if saved else 400)
        if saved:
            messages.success(request, "Notes saved.")
        else:
            messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
        return redirect(self.url("meeting", meeting.pk))


class AgendaMixin(QbrPageMixin):
    http_method_names = ["post"]

    def agenda_response(self, meeting, form=None, status=200):
        if self.request.htmx:
            ctx = {
                "practice": self.practice,
                "client": self.client_obj,
                "meeting": meeting,
                "agenda": list(AgendaItem.objects.for_practice(self.practice).filter(meeting=meeting)),
                "agenda_form": form or AgendaItemForm(),
                "can": self.request.can,
            }
            return TemplateResponse(self.request, "qbr/_agenda.html", ctx, status=status)
        if form is not None and form.errors:
            messages.error(self.request, " ".join(m for errs in form.errors.values() for m in errs))
        return redirect(self.url("meeting", meeting.pk) + "#agenda")

    def agenda_item(self, pk) -> AgendaItem:
        queryset = AgendaItem.objects.filter(meeting__client_id=self.client_obj.pk).select_related("meeting")
        return scoped_object_or_404(queryset, practice=self.practice, pk=pk)


class AgendaAddView(AgendaMixin, View):
    def post(self, request, *args, **kwargs):
        meeting = self.meeting(kwargs["meeting_pk"])
        form = AgendaItemForm(request.POST)
        if form.is_valid() and run_service(
            form,
            services.agenda_item_add,
            meeting=meeting,
            actor=request.user,
            title=form.cleaned_data["title"],
        ):
            return self.agenda_response(meeting)
        return self.agenda_response(meeting, form, status=400)


class AgendaDeleteView(AgendaMixin, View):
    def post(self, request, *args, **kwargs):
        item = self.agenda_item(kwargs["item_pk"])
        services.agenda_item_delete(item=item, actor=request.user)
        return self.agenda_response(item.meeting)


class AgendaMoveView(AgendaMixin, View):
    def post(self, request, *args, **kwargs):
        item = self.agenda_item(kwargs["item_pk"])
        try:
            services.agenda_item_move(
                item=item, actor=request.user, direction=request.POST.get("direction", "")
            )
        except ValidationError:
            return self.agenda_response(item.meeting, status=400)
        return self.agenda_response(item.meeting)


class ActionItemsMixin(QbrPageMixin):
    http_method_names = ["post"]

    def items_response(self, meeting, form=None, status=200):
        if self.request.htmx:
            ctx = {
                "practice": self.practice,
                "client": self.client_obj,
                "meeting": meeting,
                "action_items": list(selectors.meeting_action_items(meeting=meeting)),
                "action_form": form or ActionItemForm(practice=self.practice, client=self.client_obj),
                "can": self.request.can,
                "today": timezone.localdate(),
            }
            return TemplateResponse(self.request, "qbr/_action_items.html", ctx, status=status)
        if form is not None and form.errors:
            messages.error(self.request, " ".join(m for errs in form.errors.values() for m in errs))
        return redirect(self.url("meeting", meeting.pk) + "#action-items")


class ActionItemAddView(ActionItemsMixin, View):
    """Add an action item while the meeting runs (htmx: answers with the refreshed list)."""

    def post(self, request, *args, **kwargs):
        meeting = self.meeting(kwargs["meeting_pk"])
        form = ActionItemForm(request.POST, practice=self.practice, client=self.client_obj)
        if form.is_valid() and run_service(
            form, services.action_item_create, meeting=meeting, actor=request.user, **form.service_data()
        ):
            if not request.htmx:
                messages.success(request, "Action item added.")
            return self.items_response(meeting)
        return self.items_response(meeting, form, status=400)


class ActionItemToggleView(QbrPageMixin, View):
    """Open ↔ done (htmx: answers with the item's row)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.scoped(
            ActionItem.objects.select_related("meeting", "owner_member", "owner_contact"), kwargs["action_pk"]
        )
        services.action_item_toggle(item=item, actor=request.user)
        if request.htmx:
            ctx = {
                "practice": self.practice,
                "client": self.client_obj,
                "item": item,
                "can": request.can,
                "today": timezone.localdate(),
                "show_meeting": request.POST.get("context") == "tab",
            }
            return TemplateResponse(request, "qbr/_action_item.html", ctx)
        if request.POST.get("context") == "tab":
            return redirect(self.url("client"))
        return redirect(self.url("meeting", item.meeting_id) + "#action-items")


class ActionItemDeleteView(ActionItemsMixin, View):
    def post(self, request, *args, **kwargs):
        item = self.scoped(ActionItem.objects.select_related("meeting"), kwargs["action_pk"])
        services.action_item_delete(item=item, actor=request.user)
        if request.htmx:
            return HttpResponse("")
        messages.success(request, "Action item deleted.")
        return redirect(self.url("meeting", item.meeting_id) + "#action-items")


class MeetingHoldView(QbrPageMixin, FormView):
    """Close the meeting as held; a QBR proposes the next one a cadence later (editable here)."""

    template_name = "qbr/meeting_hold.html"
    read_perm = Perm.EDIT

    def get_form(self, form_class=None):
        self.meeting_obj = self.meeting(self.kwargs["meeting_pk"])
        return _hold_form(self.meeting_obj, self.request.POST if self.request.method == "POST" else None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["meeting"] = self.meeting_obj
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        result = run_service(
            form,
            services.meeting_hold,
            meeting=self.meeting_obj,
            actor=self.request.user,
            next_scheduled_at=data.get("next_scheduled_at") if data.get("propose_next") else None,
            propose_next=bool(data.get("propose_next")),
        )
        if result is None:
            return self.form_invalid(form)
        held, next_meeting = result
        text = "Meeting held."
        if next_meeting is not None:
            text += f" Next QBR planned for {timezone.localtime(next_meeting.scheduled_at):%Y-%m-%d %H:%M}."
        messages.success(self.request, text)
        return redirect(self.url("meeting", held.pk))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MeetingCancelView(QbrPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.meeting(kwargs["meeting_pk"])
        try:
            services.meeting_cancel(meeting=meeting, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Meeting cancelled.")
        return redirect(self.url("meeting", meeting.pk))


class MeetingDeleteView(QbrPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.meeting(kwargs["meeting_pk"])
        try:
            services.meeting_delete(meeting=meeting, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.url("meeting", meeting.pk))
        messages.success(request, "Meeting deleted.")
        return redirect(self.url("client"))


class MeetingIcsView(QbrPageMixin, View):
    """The meeting as an .ics file for the attendees' calendars."""

    def get(self, request, *args, **kwargs):
        try:
            meeting = selectors.meeting_detail(client=self.client_obj, pk=kwargs["meeting_pk"])
        except (Meeting.DoesNotExist, ValidationError, ValueError):
            raise Http404("No such meeting.") from None
        body = meeting_ics(
            meeting,
            agenda=list(meeting.agenda_items.all()),
            members=[link.user for link in meeting.member_links.all()],
            contacts=[link.contact for link in meeting.contact_links.all()],
            url=request.build_absolute_uri(self.url("meeting", meeting.pk)),
        )
        day = timezone.localtime(meeting.scheduled_at).date().isoformat()
        name = slugify(f"{meeting.display_title} {self.client_obj.name} {day}")[:80] or "meeting"
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
        return response


# --- practice-level pages -------------------------------------------------------------------------


class MeetingsView(PracticeMixin, TemplateView):
    """Meetings across the practice's clients: upcoming by default; filters, sorting, CSV."""

    template_name = "qbr/meetings.html"
    nav = "meetings"

    def get(self, request, *args, **kwargs):
        self.filter_form = MeetingFilterForm(request.GET or None, practice=self.practice)
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def queryset(self):
        return selectors.practice_meetings(
            practice=self.practice, sort=self.request.GET.get("sort", ""), **self.filter_form.filters()
        )

    def export(self):
        qs, _ = self.queryset()
        rows = (
            [
                timezone.localtime(m.scheduled_at).strftime("%Y-%m-%d %H:%M"),
                m.duration_minutes,
                m.client.name,
                m.get_kind_display(),
                m.title,
                m.get_status_display(),
                m.location,
                m.client.primary_consultant.display_name if m.client.primary_consultant else "",
                m.open_items,
            ]
            for m in qs.iterator(chunk_size=500)
        )
        header = [
            "Date and time",
            "Duration (minutes)",
            "Client",
            "Kind",
            "Title",
            "Status",
            "Location",
            "Primary consultant",
            "Open action items",
        ]
        return csv_response(f"{self.practice.slug}-meetings.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filters = self.filter_form.filters()
        sort = chosen_sort(self.request.GET.get("sort", ""), selectors.MEETING_SORTS, selectors.UPCOMING_SORT)
        if filters == {"when": "upcoming"} and sort == selectors.UPCOMING_SORT:
            # the list as it opens: its page statement is kept, with now as its one value
            page = paginate_kept(
                self.request,
                "qbr.meetings",
                self.practice,
                lambda practice, now: selectors.practice_meetings(practice=practice, now=now)[0],
                values=[timezone.now()],
            )
        else:
            qs, sort = self.queryset()
            page = paginate(self.request, qs)
        page.object_list = list(page.object_list)
        ctx.update(
            page=page,
            rows_html=meeting_rows_html(page.object_list, practice=self.practice),
            sort=sort,
            filter_form=self.filter_form,
            filtered=set(filters) - {"when"} or filters.get("when") != "upcoming",
        )
        return ctx


class GenerateAllView(PracticeMixin, View):
    """“Generate for all clients”: one report per active client, followed on the batch page."""

    http_method_names = ["post"]
    nav = "meetings"

    def post(self, request, *args, **kwargs):
        batch = report_services.report_request_all(practice=self.practice, actor=request.user)
        return redirect("qbr:batch", practice_slug=self.practice.slug, batch_pk=batch.pk)


class BatchView(PracticeMixin, TemplateView):
    template_name = "qbr/batch.html"
    nav = "meetings"

    def get_template_names(self):
        return ["qbr/_batch_status.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        batch = scoped_object_or_404(ReportBatch, practice=self.practice, pk=self.kwargs["batch_pk"])
        ctx.update(
            batch=batch,
            progress=selectors.batch_progress(batch=batch),
            reports=list(selectors.batch_reports(batch=batch)),
            poll=POLL_SECONDS,
        )
        return ctx


class QBRSettingsView(PracticeMixin, FormView):
    template_name = "qbr/settings.html"
    form_class = QBRSettingsForm
    read_perm = Perm.MANAGE_SETTINGS
    write_perm = Perm.MANAGE_SETTINGS
    nav = "settings"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            practice=self.practice, instance=selectors.practice_qbr_settings(practice=self.practice)
        )
        return kwargs

    def form_valid(self, form):
        result = run_service(
            form,
            services.qbr_settings_update,
            practice=self.practice,
            actor=self.request.user,
            **form.cleaned_data,
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, "QBR settings saved.")
        return redirect("qbr:settings", practice_slug=self.practice.slug)
