"""Pages of the client's Roadmap tab: thin views that check access (ClientMixin), call a selector or
a service, render. Objects are fetched through the practice- and client-scoped queryset (else 404)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm
from clients.mixins import ClientPageMixin
from vcio.forms import run_service
from vcio.history import parse_before
from vcio.listing import chosen_sort, csv_response

from . import board_selectors, selectors, services
from .forms import GoalForm, InitiativeFilterForm, InitiativeForm, TransitionForm
from .goals_html import goal_rows_html
from .initiatives_html import initiative_rows_html
from .models import Goal, Initiative, Status


class RoadmapPageMixin(ClientPageMixin):
    tab = "roadmap"
    section = "timeline"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["section"] = self.section
        return ctx

    def url(self, name, *args):
        return reverse(f"roadmaps:{name}", args=[self.practice.slug, self.client_obj.pk, *args])


class TimelineView(RoadmapPageMixin, TemplateView):
    template_name = "roadmaps/timeline.html"
    section = "timeline"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            shift = max(-40, min(40, int(self.request.GET.get("shift", 0))))
        except ValueError:
            shift = 0
        grid = board_selectors.timeline_grid(client=self.client_obj, shift=shift)
        ctx.update(
            grid=grid,
            shift=shift,
            # the quarter cells behind every lane: rendered once, repeated per lane
            lane_background=render_to_string("roadmaps/_timeline_lane_background.html", {"grid": grid}),
            rollups=selectors.initiative_cost_rollups(
                client=self.client_obj, first=grid.quarters[0], last=grid.quarters[-1]
            ),
        )
        return ctx


class BoardView(RoadmapPageMixin, TemplateView):
    """The board page; an htmx request targeting `#board` (the board script re-reading the board
    after a failed move) gets only the board, and `?column=<status>&after=<n>` (a column's "Show
    more") the column's next cards."""

    template_name = "roadmaps/board.html"
    section = "board"

    def get_template_names(self):
        if self.request.htmx and self.more_cards() is not None:
            return ["roadmaps/_board_cards.html"]
        if self.request.htmx and self.request.htmx.target == "board":
            return ["roadmaps/_board.html"]
        return [self.template_name]

    def more_cards(self) -> tuple[str, int] | None:
        """(status, after) of a "Show more" request, or None."""
        status, after = self.request.GET.get("column", ""), self.request.GET.get("after", "")
        if status not in Status.values or not after.isdigit():
            return None
        return status, min(int(after), 100_000)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        more = self.more_cards() if self.request.htmx else None
        if more is not None:
            status, after = more
            ctx["col"] = board_selectors.board_column(client=self.client_obj, status=status, after=after)
        else:
            ctx["columns"] = board_selectors.board_columns(client=self.client_obj)
        return ctx


class InitiativeListView(RoadmapPageMixin, TemplateView):
    template_name = "roadmaps/initiative_list.html"
    section = "list"

    def get(self, request, *args, **kwargs):
        self.filter_form = InitiativeFilterForm(request.GET or None, client=self.client_obj)
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def queryset(self):
        return selectors.initiative_list(
            client=self.client_obj, sort=self.request.GET.get("sort", ""), **self.filter_form.filters()
        )

    def export(self):
        qs, _ = self.queryset()
        currency = self.practice.currency
        rows = (
            [
                i.title,
                i.get_category_display(),
                i.get_priority_display(),
                i.get_status_display(),
                i.start_quarter.label,
                i.end_quarter.label,
                i.owner.display_name if i.owner else "",
                i.sponsor.name if i.sponsor else "",
                "; ".join(g.title for g in i.linked_goals),
                i.one_time_cost,
                i.recurring_monthly_cost,
                currency,
                i.effort_hours if i.effort_hours is not None else "",
            ]
            for i in qs.iterator(chunk_size=500)
        )
        header = [
            "Title",
            "Category",
            "Priority",
            "Status",
            "Start quarter",
            "End quarter",
            "Owner",
            "Sponsor",
            "Goals",
            "One-time cost",
            "Recurring monthly cost",
            "Currency",
            "Effort (hours)",
        ]
        name = slugify(self.client_obj.name)[:40].strip("-") or "client"
        return csv_response(f"{name}-initiatives.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        sort = chosen_sort(
            self.request.GET.get("sort", ""), selectors.INITIATIVE_SORTS, selectors.DEFAULT_SORT
        )
        if not self.filter_form.filters() and sort == selectors.DEFAULT_SORT:
            # the list as it opens: its page statement is kept, the page's goals read after it
            rows = lambda client: selectors.initiative_list(client=client)[0].prefetch_related(None)  # noqa: E731
            load = partial(selectors.with_goal_titles, practice=self.practice)
        else:
            (rows, sort), load = self.queryset(), list
        ctx.update(
            self.page_with_rows(rows, initiative_rows_html, load=load),
            sort=sort,
            filter_form=self.filter_form,
            filtered=bool(self.filter_form.filters()),
        )
        return ctx


class InitiativeDetailView(RoadmapPageMixin, TemplateView):
    template_name = "roadmaps/initiative_detail.html"
    section = "list"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            initiative = selectors.initiative_detail(client=self.client_obj, pk=self.kwargs["pk"])
        except Initiative.DoesNotExist:
            raise Http404("No such initiative.") from None
        ctx.update(
            initiative=initiative,
            moves=[(s, Status(s).label) for s in services.allowed_transitions(initiative.status)],
            history=selectors.initiative_history(
                initiative=initiative, before=parse_before(self.request.GET.get("before"))
            ),
        )
        return ctx


class InitiativeFormView(RoadmapPageMixin, FormView):
    template_name = "roadmaps/initiative_form.html"
    form_class = InitiativeForm
    section = "list"
    read_perm = Perm.EDIT  # the form itself is for editors only

    def get_initiative(self):
        if not hasattr(self, "_initiative"):
            pk = self.kwargs.get("pk")
            self._initiative = self.scoped(Initiative.objects.select_related("client"), pk) if pk else None
        return self._initiative

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj, instance=self.get_initiative())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["initiative"] = self.get_initiative()
        return ctx

    def form_valid(self, form):
        initiative = self.get_initiative()
        data = dict(form.cleaned_data)
        if initiative is None:
            result = run_service(
                form, services.initiative_create, client=self.client_obj, actor=self.request.user, **data
            )
        else:
            result = run_service(
                form, services.initiative_update, initiative=initiative, actor=self.request.user, **data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Initiative “{result.title}” saved.")
        return redirect(self.url("detail", result.pk))


class InitiativeDeleteView(RoadmapPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        initiative = self.scoped(Initiative.objects.select_related("client"), kwargs["pk"])
        services.initiative_delete(initiative=initiative, actor=request.user)
        messages.success(request, f"Initiative “{initiative.title}” deleted.")
        return redirect(self.url("list"))


class InitiativeTransitionView(RoadmapPageMixin, TemplateView):
    """GET: the status form. POST: one move through the workflow, from the form, the board's
    keyboard control or a drag and drop (htmx: answers with the re-rendered board; 400 + the reason
    when the move is forbidden, and the card stays where it was)."""

    template_name = "roadmaps/initiative_transition.html"
    section = "board"
    read_perm = Perm.EDIT  # the status form too, not only the move

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        initiative = self.initiative
        ctx.setdefault(
            "form",
            TransitionForm(initial={"to": self.request.GET.get("to", "")}, initiative=initiative),
        )
        ctx.update(
            initiative=initiative,
            moves=[(s, Status(s).label) for s in services.allowed_transitions(initiative.status)],
            next=self.safe_next(),
        )
        return ctx

    def get(self, request, *args, **kwargs):
        self.initiative = self.scoped(Initiative.objects.select_related("client"), kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def safe_next(self):
        nxt = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if nxt and url_has_allowed_host_and_scheme(nxt, {self.request.get_host()}, self.request.is_secure()):
            return nxt
        return ""

    def post(self, request, *args, **kwargs):
        self.initiative = initiative = self.scoped(Initiative.objects.select_related("client"), kwargs["pk"])
        form = TransitionForm(request.POST, initiative=initiative)
        error = None
        if form.is_valid():
            result = run_service(
                form,
                services.initiative_transition,
                initiative=initiative,
                actor=request.user,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
                target_start=form.cleaned_data["target_start"],
                target_end=form.cleaned_data["target_end"],
            )
            if result is None:
                error = "; ".join(m for errs in form.errors.values() for m in errs)
        else:
            error = "; ".join(m for errs in form.errors.values() for m in errs)
        moved_to = Status(form.cleaned_data["to"]).label if error is None else None

        if request.htmx:
            ctx = {
                "practice": self.practice,
                "client": self.client_obj,
                "columns": board_selectors.board_columns(client=self.client_obj),
                "feedback": f"Moved “{initiative.title}” to {moved_to}." if error is None else None,
                "refusal": error,
                "refused": initiative if error else None,
                "needs_quarter": error is not None and "target_start" in form.errors,
            }
            return TemplateResponse(
                request, "roadmaps/_board.html", ctx, status=200 if error is None else 400
            )
        if error is None:
            messages.success(request, f"“{initiative.title}” is now {moved_to.lower()}.")
            return redirect(self.safe_next() or self.url("detail", initiative.pk))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class GoalListView(RoadmapPageMixin, TemplateView):
    template_name = "roadmaps/goal_list.html"
    section = "goals"
    per_page = 10  # a client has a handful of goals a year

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            self.page_with_rows(
                lambda client: selectors.goal_list(client=client), goal_rows_html, per_page=self.per_page
            )
        )
        return ctx


class GoalDetailView(RoadmapPageMixin, TemplateView):
    """A goal: its progress, the initiatives serving it and its audit history."""

    template_name = "roadmaps/goal_detail.html"
    section = "goals"
    shown = 50  # initiatives listed; the rest are one click away in the filtered initiative list

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            goal = selectors.goal_detail(client=self.client_obj, pk=self.kwargs["pk"])
        except Goal.DoesNotExist:
            raise Http404("No such goal.") from None
        initiatives = list(selectors.goal_initiatives(goal=goal)[: self.shown + 1])
        ctx.update(
            goal=goal,
            initiatives=initiatives[: self.shown],
            more_initiatives=len(initiatives) > self.shown,
            history=selectors.goal_history(goal=goal, before=parse_before(self.request.GET.get("before"))),
        )
        return ctx


class GoalFormView(RoadmapPageMixin, FormView):
    template_name = "roadmaps/goal_form.html"
    form_class = GoalForm
    section = "goals"
    read_perm = Perm.EDIT  # the form itself is for editors only

    def get_goal(self):
        if not hasattr(self, "_goal"):
            pk = self.kwargs.get("pk")
            self._goal = self.scoped(Goal, pk) if pk else None
        return self._goal

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj, instance=self.get_goal())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["goal"] = self.get_goal()
        return ctx

    def form_valid(self, form):
        goal = self.get_goal()
        if goal is None:
            result = run_service(
                form,
                services.goal_create,
                client=self.client_obj,
                actor=self.request.user,
                **form.cleaned_data,
            )
        else:
            result = run_service(
                form, services.goal_update, goal=goal, actor=self.request.user, **form.cleaned_data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Goal “{result.title}” saved.")
        return redirect(self.url("goal_detail", result.pk))


class GoalDeleteView(RoadmapPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        goal = self.scoped(Goal, kwargs["pk"])
        try:
            services.goal_delete(goal=goal, actor=request.user)
        except ValidationError as exc:  # pragma: no cover - no rule refuses it today
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Goal “{goal.title}” deleted.")
        return redirect(self.url("goals"))
