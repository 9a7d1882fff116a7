"""Shared helpers of the compliance tests: a practice framework with weighted standards, catalog
lookups, and URL builders."""

import pytest
from django.urls import reverse

from compliance import services, standard_services
from compliance.models import Framework, Response
from tests.factories import StandardFactory, StandardFrameworkFactory


def url(name, client, *args, practice="alpha"):
    return reverse(f"compliance:{name}", args=[practice, client.pk, *args])


def lib_url(name, *args, practice="alpha"):
    return reverse(f"compliance:{name}", args=[practice, *args])


def catalog(slug) -> Framework:
    return Framework.objects.get(slug=slug)


def standards(practice, spec, name="Baseline"):
    """A framework of the practice's own: `spec` is [(ref, weight)] at the top level, or
    [(heading_ref, [(ref, weight), ...])] for headings with standards under them."""
    framework = StandardFrameworkFactory(practice=practice, name=name)
    for ref, weight in spec:
        if isinstance(weight, list):
            heading = standard_services.standard_create(
                framework=framework, actor=None, ref=ref, title=f"Heading {ref}"
            )
            for child_ref, child_weight in weight:
                standard_services.standard_create(
                    framework=framework,
                    actor=None,
                    parent=heading,
                    ref=child_ref,
                    title=f"Standard {child_ref}",
                    weight=child_weight,
                )
        else:
            standard_services.standard_create(
                framework=framework, actor=None, ref=ref, title=f"Standard {ref}", weight=weight
            )
    return framework


def start(client, framework, actor=None):
    """Adopt `framework` for `client` and start an assessment: (adoption, assessment, {ref: response})."""
    adoption = services.adoption_create(client=client, actor=actor, framework=framework)
    assessment = services.assessment_start(adoption=adoption, actor=actor)
    return adoption, assessment, answers(assessment)


def answers(assessment) -> dict:
    rows = Response.objects.for_practice(assessment.practice_id).filter(assessment=assessment)
    return {r.item.ref: r for r in rows.select_related("requirement", "standard")}


def answer(assessment, statuses: dict, actor=None):
    """Set statuses by ref ({"S1": "implemented"})."""
    by_ref = answers(assessment)
    for ref, status in statuses.items():
        services.response_update(response=by_ref[ref], actor=actor, status=status)


@pytest.fixture
def baseline_a(practice_a):
    """Practice A's standards: H1 (High), M1 (Medium), L1 (Low), N1 (Medium, for "not applicable")."""
    return standards(practice_a, [("H1", "high"), ("M1", "medium"), ("L1", "low"), ("N1", "medium")])


def big_framework(practice, headings, per_heading):
    """A framework of the practice's standards: `headings` headings of `per_heading` items each."""
    framework = StandardFrameworkFactory(practice=practice, name=f"{headings * per_heading} items")
    order = 0
    for h in range(headings):
        order += 1
        heading = StandardFactory(framework=framework, ref=f"G{h}", order=order)
        for k in range(per_heading):
            order += 1
            StandardFactory(framework=framework, parent=heading, level=1, ref=f"G{h}-{k}", order=order)
    return framework
