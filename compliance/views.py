"""Pages of the client's Compliance tab: thin views that check access (ClientPageMixin), call a
selector or a service, render. Objects come from the practice- and client-scoped lookups (else 404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm
from clients.mixins import ClientPageMixin
from vcio import charts
from vcio.forms import run_service
from vcio.listing import csv_response

from . import catalog_selectors, selectors, services, summary_selectors
from .forms import (
    AdoptForm,
    AdoptionForm,
    AssessmentStartForm,
    BulkForm,
    GapInitiativeForm,
    ResponseForm,
    TreeFilterForm,
)
from .models import ResponseStatus
from .scores import Score
from .tree_html import assessment_tree_html


def score_chart(scores, accent, title="Scores by group"):
    """Horizontal bars of the top-level groups' scores (the same function serves the QBR PDF)."""
    groups = scores.groups
    if not groups:
        return ""
    return charts.horizontal_bars(
        [g.score.percent for g in groups],
        [
            f"{g.node.ref} {g.node.title}".strip() if g.node.ref != g.node.title else g.node.title
            for g in groups
        ],
        title=title,
        accent=accent,
        max_value=100,
        unit="%",
        places=1,
        width=460,
        label_width=170,
    )


def trend_sparkline(trend, accent, title):
    return charts.sparkline(
        [p.percent for p in trend],
        title=title,
        accent=accent,
        min_value=0,
        max_value=100,
        width=140,
        height=36,
    )


def score_bar(percent, accent, title):
    return charts.horizontal_bars(
        [percent],
        [""],
        title=title,
        accent=accent,
        max_value=100,
        unit="%",
        places=1,
        label_width=0,
        width=320,
    )


class CompliancePageMixin(ClientPageMixin):
    tab = "compliance"

    def url(self, name, *args):
        return reverse(f"compliance:{name}", args=[self.practice.slug, self.client_obj.pk, *args])

    def safe_next(self, default):
        nxt = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if nxt and url_has_allowed_host_and_scheme(nxt, {self.request.get_host()}, self.request.is_secure()):
            return nxt
        return default

    @property
    def accent(self):
        return self.practice.brand_colour


class ComplianceView(CompliancePageMixin, TemplateView):
    """The tab: adopted frameworks with their score and trend, then what is overdue or due soon."""

    template_name = "compliance/overview.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        rows = (
            [
                r.assessment.adoption.name,
                r.item.ref,
                r.item.title,
                r.get_status_display(),
                r.owner.display_name if r.owner else "",
                r.due_date.isoformat(),
                "Overdue" if r.overdue else "Due soon",
            ]
            for r in summary_selectors.due_responses(client=self.client_obj, limit=None)
        )
        header = ["Framework", "Ref", "Requirement", "Status", "Owner", "Due date", "When"]
        name = slugify(self.client_obj.name)[:40].strip("-") or "client"
        return csv_response(f"{name}-compliance-due.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        summaries = summary_selectors.client_compliance_summary(client=self.client_obj)
        for s in summaries:
            name = s.framework.label
            s.bar = score_bar(s.percent, self.accent, f"{name}: current score")
            s.spark = trend_sparkline(s.trend, self.accent, f"{name}: score across completed assessments")
        catalogs, own = catalog_selectors.adoptable_frameworks(practice=self.practice, client=self.client_obj)
        ctx.update(
            summaries=summaries,
            due=summary_selectors.due_responses(client=self.client_obj, limit=25),
            gaps=summary_selectors.top_gaps(client=self.client_obj, limit=5),
            can_adopt=bool(catalogs or own),
        )
        return ctx


class AdoptView(CompliancePageMixin, FormView):
    template_name = "compliance/adopt.html"
    form_class = AdoptForm
    read_perm = Perm.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        adoption = run_service(
            form,
            services.adoption_create,
            client=self.client_obj,
            actor=self.request.user,
            framework=data["framework"],
            scope_note=data["scope_note"],
            target_date=data["target_date"],
            start_assessment=data["start_assessment"],
        )
        if adoption is None:
            return self.form_invalid(form)
        messages.success(self.request, f"{self.client_obj.name} adopted {adoption.name}.")
        return redirect(self.url("adoption", adoption.pk))


class AdoptionMixin(CompliancePageMixin):
    def get_adoption(self):
        if not hasattr(self, "_adoption"):
            self._adoption = selectors.adoption_detail(client=self.client_obj, pk=self.kwargs["adoption_pk"])
        return self._adoption


class AdoptionView(AdoptionMixin, TemplateView):
    """One adopted framework: its scope, the current scores by group, the trend, the assessments."""

    template_name = "compliance/adoption.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        adoption = self.get_adoption()
        assessments = list(selectors.assessments_of(adoption=adoption))
        for a in assessments:
            a.adoption = adoption
            a.score = Score.stored(a.score_earned, a.score_possible)
        current = next((a for a in assessments if a.is_current), None)
        scores = selectors.framework_scores(assessment=current) if current else None
        trend = selectors.trend_of([a for a in assessments if a.is_completed])
        name = adoption.name
        ctx.update(
            adoption=adoption,
            framework=adoption.the_framework,
            assessments=assessments,
            current=current,
            in_progress=current if current and not current.is_completed else None,
            scores=scores,
            chart=score_chart(scores, self.accent, f"{name}: scores by group") if scores else "",
            trend=trend,
            trend_chart=charts.bar_chart(
                [p.percent for p in trend],
                [f"{p.day:%b %Y}" for p in trend],
                title=f"{name}: score across completed assessments",
                accent=self.accent,
                max_value=100,
                unit="%",
                places=1,
                axis_label="Score",
                height=200,
            )
            if trend
            else "",
        )
        return ctx


class AdoptionEditView(AdoptionMixin, FormView):
    template_name = "compliance/adoption_form.html"
    form_class = AdoptionForm
    read_perm = Perm.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=self.get_adoption())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["adoption"] = self.get_adoption()
        return ctx

    def form_valid(self, form):
        adoption = run_service(
            form,
            services.adoption_update,
            adoption=self.get_adoption(),
            actor=self.request.user,
            **form.cleaned_data,
        )
        if adoption is None:
            return self.form_invalid(form)
        messages.success(self.request, f"{adoption.name}: scope and target date saved.")
        return redirect(self.url("adoption", adoption.pk))


class AdoptionDeleteView(AdoptionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        adoption = self.get_adoption()
        services.adoption_delete(adoption=adoption, actor=request.user)
        messages.success(request, f"{adoption.name} removed from {self.client_obj.name}.")
        return redirect(self.url("overview"))


class AssessmentStartView(AdoptionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        adoption = self.get_adoption()
        form = AssessmentStartForm(request.POST)
        form.is_valid()
        try:
            assessment = services.assessment_start(
                adoption=adoption, actor=request.user, title=form.cleaned_data.get("title", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.url("adoption", adoption.pk))
        messages.success(request, f"“{assessment.title}” started.")
        return redirect(self.url("assessment", assessment.pk))


class AssessmentMixin(CompliancePageMixin):
    def get_assessment(self):
        if not hasattr(self, "_assessment"):
            self._assessment = selectors.assessment_detail(
                client=self.client_obj, pk=self.kwargs["assessment_pk"]
            )
        return self._assessment

    def back(self):
        return self.safe_next(self.url("assessment", self.get_assessment().pk))


class AssessmentView(AssessmentMixin, TemplateView):
    """The assessment as an expandable tree with filters, bulk edit and "create initiative from gaps"."""

    template_name = "compliance/assessment.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        assessment = self.get_assessment()
        rows = (
            [
                node.ref,
                node.title,
                (r.get_status_display() if r else ResponseStatus.NOT_ASSESSED.label),
                r.owner.display_name if r and r.owner else "",
                r.due_date.isoformat() if r and r.due_date else "",
                r.notes if r else "",
                " ".join(link.url for link in r.evidence_links.all()) if r else "",
                r.reviewed_by.display_name if r and r.reviewed_by else "",
                timezone.localtime(r.reviewed_at).strftime("%Y-%m-%d %H:%M") if r and r.reviewed_at else "",
            ]
            for node, r in selectors.responses_for_export(assessment=assessment)
        )
        header = ["Ref", "Requirement", "Status", "Owner", "Due date", "Evidence notes", "Evidence links"]
        header += ["Reviewed by", "Reviewed at"]
        name = slugify(f"{self.client_obj.name} {assessment.title}")[:80].strip("-") or "assessment"
        return csv_response(f"{name}.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        assessment = self.get_assessment()
        filter_form = TreeFilterForm(self.request.GET or None, practice=self.practice, auto_id="filter_%s")
        filters = filter_form.filters()
        tree = selectors.assessment_tree(assessment=assessment, filters=filters)
        can_edit = bool(self.request.can.get("edit"))
        editable = can_edit and not assessment.is_completed
        # What each row needs, computed once here rather than per row in the template (a 300-item tree).
        answer_base = self.url("assessment", assessment.pk) + "answers/"
        back = "?" + urlencode({"next": self.request.get_full_path()})
        labels = dict(ResponseStatus.choices)
        for row in tree.rows:
            response = row.get("response")
            # a checkbox: any item while in progress; afterwards only gaps (for initiatives)
            row["selectable"] = bool(response and can_edit and (editable or response.is_gap))
            if row["kind"] == "item":
                row["status_label"] = labels[row["status"]]
                row["url"] = f"{answer_base}{response.pk}/{back}" if response else ""
        ctx.update(
            assessment=assessment,
            adoption=assessment.adoption,
            framework=assessment.adoption.the_framework,
            tree=tree,
            tree_html=assessment_tree_html(
                tree.rows,
                roadmap_base=reverse("roadmaps:list", args=[self.practice.slug, self.client_obj.pk]),
            ),
            filter_form=filter_form,
            filtered=filters.active,
            bulk_form=BulkForm(practice=self.practice, auto_id="bulk_%s") if editable else None,
            editable=editable,
            can_plan=can_edit,
            chart=score_chart(tree.scores, self.accent, f"{assessment.title}: scores by group"),
            statuses=ResponseStatus.choices,
            today=timezone.localdate(),
        )
        return ctx


class BulkUpdateView(AssessmentMixin, View):
    """Set status / owner / due date on the selected items — all of them or none."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assessment = self.get_assessment()
        form = BulkForm(request.POST, practice=self.practice)
        if not form.is_valid():
            messages.error(request, "; ".join(m for errors in form.errors.values() for m in errors))
            return redirect(self.back())
        try:
            changed = services.responses_bulk_update(
                assessment=assessment,
                actor=request.user,
                response_ids=form.cleaned_data["ids"],
                **form.changes(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages) + " Nothing was changed.")
            return redirect(self.back())
        selected = len(form.cleaned_data["ids"])
        messages.success(
            request, f"Updated {changed} of {selected} selected item{'s' if selected != 1 else ''}."
        )
        return redirect(self.back())


class CompleteView(AssessmentMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assessment = self.get_assessment()
        try:
            services.assessment_complete(assessment=assessment, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.url("assessment", assessment.pk))
        score = Score.stored(assessment.score_earned, assessment.score_possible)
        shown = (
            f"{score.percent}%" if score and score.percent is not None else "no score (nothing applicable)"
        )
        messages.success(request, f"“{assessment.title}” completed and locked: {shown}.")
        return redirect(self.url("adoption", assessment.adoption_id))


class AssessmentDeleteView(AssessmentMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assessment = self.get_assessment()
        try:
            services.assessment_delete(assessment=assessment, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.url("assessment", assessment.pk))
        messages.success(request, f"“{assessment.title}” discarded.")
        return redirect(self.url("adoption", assessment.adoption_id))


class GapInitiativeView(AssessmentMixin, FormView):
    """Selected gaps -> one roadmap initiative linked to exactly them (the ids travel in `ids`)."""

    template_name = "compliance/gap_initiative.html"
    form_class = GapInitiativeForm
    read_perm = Perm.EDIT

    def selected_ids(self):
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        return list(dict.fromkeys(source.getlist("ids")))[: services.MAX_BULK + 1]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj)
        return kwargs

    def post(self, request, *args, **kwargs):
        if request.POST.get("step") == "choose":  # from the tree: show the form for the selection
            self.get_assessment()
            form = self.form_class(initial=self.get_initial(), practice=self.practice, client=self.client_obj)
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        assessment = self.get_assessment()
        return {"title": f"Close {assessment.adoption.name[:120]} gaps", "priority": "high"}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        assessment = self.get_assessment()
        ids = self.selected_ids()
        try:
            selected = selectors.selected_responses(assessment=assessment, response_ids=ids) if ids else []
            problem = None
        except ValidationError as exc:
            selected, problem = [], " ".join(exc.messages)
        ctx.update(
            assessment=assessment,
            adoption=assessment.adoption,
            selected=selected,
            ids=ids,
            problem=problem,
            back=self.back(),
        )
        return ctx

    def form_valid(self, form):
        assessment = self.get_assessment()
        data = form.cleaned_data
        initiative = run_service(
            form,
            services.initiative_from_gaps,
            assessment=assessment,
            actor=self.request.user,
            response_ids=self.selected_ids(),
            target_start=data["target_start"],
            title=data["title"],
            description=data["description"],
            priority=data["priority"],
            owner=data["owner"],
        )
        if initiative is None:
            return self.form_invalid(form)
        count = len(self.selected_ids())
        messages.success(
            self.request,
            f"Initiative “{initiative.title}” added to the roadmap, linked to {count} gap{'s' if count != 1 else ''}.",
        )
        return redirect(self.url("assessment", assessment.pk))


class ResponseView(AssessmentMixin, FormView):
    """One item of the assessment: its text, the answer (status, owner, due date, evidence), the
    initiatives that address it, review, and its history."""

    template_name = "compliance/response.html"
    form_class = ResponseForm

    def get_response(self):
        if not hasattr(self, "_response"):
            self._response = selectors.response_detail(assessment=self.get_assessment(), pk=self.kwargs["pk"])
        return self._response

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj, response=self.get_response())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        response = self.get_response()
        assessment = self.get_assessment()
        ctx.update(
            assessment=assessment,
            adoption=assessment.adoption,
            response=response,
            item=response.item,
            editable=self.request.can.get("edit") and not assessment.is_completed,
            history=selectors.response_history(response=response),
            back=self.back(),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        self.get_response()  # 404 before anything else
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = self.get_response()
        result = run_service(
            form,
            services.response_update,
            response=response,
            actor=self.request.user,
            reviewed=self.request.POST.get("action") == "review",
            **form.service_kwargs(),
        )
        if result is None:
            return self.form_invalid(form)
        verb = "saved and marked reviewed" if self.request.POST.get("action") == "review" else "saved"
        messages.success(self.request, f"{response.item.ref}: answer {verb}.")
        return redirect(self.back())
