"""Scale data of the compliance app (`vcio.scale`): every client adopts one shipped framework that fits
its industry (like the demo) and has a completed assessment of it with an answer for every assessable
requirement — times the factor: the Big practice's clients have a trend of ten completed reviews, the
latest current. Answers vary with the client's maturity (owners, due dates, evidence notes), the
score is stored as `assessment_complete` stores it. Audit rows for adoptions and assessments (not for
each answer: they would double the largest table). Registered in `ComplianceConfig.ready()`, after
the roadmaps.

The catalogs are global rows loaded by `migrate` (the post-migrate hook); the seeder loads them itself
when they are missing (`ensure_shipped_catalogs`)."""

from datetime import timedelta
from decimal import Decimal

from vcio.scale import ScaleBatch

from .catalog_services import ensure_shipped_catalogs
from .demo import CATALOGS, SCOPES
from .models import (
    Adoption,
    Assessment,
    AssessmentStatus,
    Framework,
    Requirement,
    Response,
    ResponseStatus,
    weight_points,
)
from .scores import Score

DEFAULT_CATALOG = "nist-csf-2-0"
EVIDENCE = [
    "Checked in the admin console; screenshot in the client folder.",
    "Policy document reviewed with the office manager.",
    "Verified on a sample of five workstations.",
    "",
    "",
]


def _catalogs() -> dict:
    """slug -> (framework, [(requirement id, points)]) of the shipped catalogs, assessable items only."""
    frameworks = {f.slug: f for f in Framework.objects.all()}
    if not frameworks:
        ensure_shipped_catalogs()
        frameworks = {f.slug: f for f in Framework.objects.all()}
    items: dict = {f.pk: [] for f in frameworks.values()}
    for pk, framework_id, weight in (
        Requirement.objects.filter(framework__in=frameworks.values(), assessable=True)
        .order_by("framework_id", "order")
        .values_list("pk", "framework_id", "weight")
    ):
        items[framework_id].append((pk, weight_points(weight)))
    return {slug: (f, items[f.pk]) for slug, f in frameworks.items()}


def _answer(rng, maturity: float) -> str:
    x = rng.random()
    if x < 0.04:
        return ResponseStatus.NOT_APPLICABLE
    if x < 0.04 + maturity:
        return ResponseStatus.IMPLEMENTED
    if x < 0.04 + maturity + (1 - maturity) * 0.5:
        return ResponseStatus.PARTIAL
    if x < 0.98:
        return ResponseStatus.NOT_IMPLEMENTED
    return ResponseStatus.NOT_ASSESSED


def seed_compliance_at_scale(batch: ScaleBatch) -> None:
    catalogs = _catalogs()
    if not catalogs:
        return
    adoptions, assessments, responses = [], [], []
    adoption_history, assessment_history = [], []
    for item in batch.practices:
        rng, practice, factor, owner = item.rng, item.practice, item.factor, item.owner
        consultants = item.consultants
        for client in item.clients:
            slug = next(iter(CATALOGS.get(client.industry, [])), DEFAULT_CATALOG)
            framework, requirements = (
                catalogs.get(slug) or catalogs.get(DEFAULT_CATALOG) or next(iter(catalogs.values()))
            )
            adopted = batch.past(rng)
            adoption = Adoption(
                practice=practice,
                client=client,
                framework=framework,
                scope_note=SCOPES.get(framework.slug, "All sites and systems of the organisation."),
                target_date=batch.today + timedelta(days=rng.randint(90, 400)),
                adopted_by=owner,
            )
            adoptions.append(adoption)
            adoption_history.append({"obj": adoption, "type": "+", "date": adopted, "user": owner})
            maturity = rng.uniform(0.35, 0.75)
            previous = None
            for r in range(factor):  # the oldest review first; the last one is current
                done = batch.after(rng, adopted) if r == 0 else batch.after(rng, previous.completed_at)
                if r == factor - 1:
                    done = max(done, batch.now - timedelta(days=rng.randint(5, 60)))
                started = (done - timedelta(days=rng.randint(7, 21))).date()
                answerer = rng.choice(consultants)
                assessment = Assessment(
                    practice=practice,
                    client=client,
                    adoption=adoption,
                    title=f"{framework.label} review {started:%B %Y}",
                    started_on=started,
                    status=AssessmentStatus.COMPLETED,
                    is_current=r == factor - 1,
                    based_on=previous,
                    completed_at=done,
                    completed_by=answerer,
                )
                answers = []
                for pk, points in requirements:
                    status = _answer(rng, min(0.95, maturity + 0.03 * r))
                    gap = status in (ResponseStatus.NOT_IMPLEMENTED, ResponseStatus.PARTIAL)
                    responses.append(
                        Response(
                            practice=practice,
                            client=client,
                            assessment=assessment,
                            requirement_id=pk,
                            status=status,
                            owner=rng.choice(consultants) if gap else None,
                            due_date=batch.today + timedelta(days=rng.randint(-60, 180)) if gap else None,
                            notes=rng.choice(EVIDENCE),
                            answered_by=answerer if status != ResponseStatus.NOT_ASSESSED else None,
                            answered_at=done if status != ResponseStatus.NOT_ASSESSED else None,
                            weight=points,
                        )
                    )
                    answers.append((points, status))
                score = Score.of(answers)
                assessment.score_earned = Decimal(score.earned.numerator) / Decimal(score.earned.denominator)
                assessment.score_possible = score.possible
                assessments.append(assessment)
                assessment_history.append(
                    {
                        "obj": assessment,
                        "type": "+",
                        "date": done - timedelta(days=7),
                        "user": answerer,
                        "values": {
                            "status": AssessmentStatus.IN_PROGRESS,
                            "completed_at": None,
                            "completed_by_id": None,
                            "score_earned": None,
                            "score_possible": None,
                        },
                    }
                )
                assessment_history.append(
                    {"obj": assessment, "type": "~", "date": done, "user": answerer, "reason": "Completed"}
                )
                previous = assessment
    batch.insert(Adoption, adoptions)
    batch.insert(Assessment, assessments)
    batch.insert(Response, responses)
    batch.history(Adoption, adoption_history)
    batch.history(Assessment, assessment_history)
