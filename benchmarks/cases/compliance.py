"""Benchmark cases of the compliance app: a client's Compliance tab and its current assessment, and the
assessments and responses endpoints."""

from datetime import timedelta

from django.urls import reverse

from benchmarks.registry import LIST_ENDPOINT, PAGE, Case

from .sql import json_list, members

GAPS = "('not_assessed', 'not_implemented', 'partial')"
TREE = """SELECT r.id, r.parent_id, r.level, r."order", r.weight, r.assessable, r.framework_id
  FROM compliance_requirement r WHERE r.framework_id IN (SELECT a.framework_id FROM compliance_adoption a
  WHERE a.practice_id = %s AND a.client_id = %s) ORDER BY r.framework_id, r."order\""""


def assessment(t):
    """The current NIST CSF 2.0 assessment of the practice's first client (by name) that has one. The
    same framework in every practice, so that Big/small compares like with like: the first client's
    own assessment is of whatever framework its industry calls for (HIPAA's 65 items for the small
    practice's dental client, CSF's 106 for Big's), and the page shows every item of one assessment."""
    from compliance.models import Assessment

    current = (
        Assessment.objects.for_practice(t.practice).filter(is_current=True).order_by("client__name", "pk")
    )
    return current.filter(adoption__framework__slug="nist-csf-2-0").first() or current.first()


def tab_floor(t):
    from compliance.selectors import DUE_SOON_DAYS
    from vendors.selectors import practice_today

    due_by = practice_today(t.practice) + timedelta(days=DUE_SOON_DAYS)
    adoptions = """SELECT a.*, f.name AS framework, u.name AS adopted_by FROM compliance_adoption a
      LEFT JOIN compliance_framework f ON f.id = a.framework_id
      LEFT JOIN accounts_user u ON u.id = a.adopted_by_id
      WHERE a.practice_id = %s AND a.client_id = %s ORDER BY a.created_at, a.id"""
    assessments = """SELECT * FROM compliance_assessment WHERE practice_id = %s AND client_id = %s
      ORDER BY started_on, created_at"""
    current = """SELECT s.assessment_id, s.requirement_id, s.status, s.weight, s.due_date FROM compliance_response s
      JOIN compliance_assessment x ON x.id = s.assessment_id AND x.practice_id = s.practice_id
      WHERE s.practice_id = %s AND s.client_id = %s AND x.is_current"""
    due = f"""SELECT s.id, s.status, s.due_date, r.ref, r.title, f.name AS framework, u.name AS owner
      FROM compliance_response s JOIN compliance_assessment x ON x.id = s.assessment_id AND x.practice_id = s.practice_id
      JOIN compliance_adoption a ON a.id = x.adoption_id AND a.practice_id = s.practice_id
      LEFT JOIN compliance_framework f ON f.id = a.framework_id
      LEFT JOIN compliance_requirement r ON r.id = s.requirement_id LEFT JOIN accounts_user u ON u.id = s.owner_id
      WHERE s.practice_id = %s AND s.client_id = %s AND x.is_current AND s.due_date IS NOT NULL
      AND s.due_date <= '{due_by.isoformat()}'::date AND s.status IN {GAPS} ORDER BY s.due_date, s.id LIMIT 25"""
    gaps = """SELECT s.id, s.status, s.due_date, s.weight, r.ref, r.title, f.name AS framework, u.name AS owner
      FROM compliance_response s JOIN compliance_assessment x ON x.id = s.assessment_id AND x.practice_id = s.practice_id
      JOIN compliance_adoption a ON a.id = x.adoption_id AND a.practice_id = s.practice_id
      LEFT JOIN compliance_framework f ON f.id = a.framework_id
      LEFT JOIN compliance_requirement r ON r.id = s.requirement_id LEFT JOIN accounts_user u ON u.id = s.owner_id
      WHERE s.practice_id = %s AND s.client_id = %s AND x.is_current
      AND s.status IN ('not_implemented', 'partial')
      ORDER BY s.weight DESC, s.status DESC, s.due_date, r."order", s.id LIMIT 5"""
    frameworks = "SELECT id, name, short_name FROM compliance_framework ORDER BY name"
    sql = f"""SELECT json_build_object('adoptions', {json_list(adoptions)}, 'assessments', {json_list(assessments)},
      'tree', {json_list(TREE)}, 'answers', {json_list(current)}, 'due', {json_list(due)},
      'gaps', {json_list(gaps)}, 'frameworks', {json_list(frameworks)})"""
    return sql, [t.pid, t.cid] * 6


def assessment_floor(t):
    """The assessment (its client, framework, the one it was based on, who completed it), its
    framework's requirement tree, every answer (with its people and evidence count), the initiatives
    linked to the adoption, and the owner filter's choices (every member: `TreeFilterForm`)."""
    current = assessment(t)
    pk, cid = str(current.pk), str(current.client_id)
    row = """SELECT x.*, k.name AS client, f.name AS framework, b.title AS based_on, u.name AS completed_by
      FROM compliance_assessment x JOIN clients_client k ON k.id = x.client_id AND k.practice_id = x.practice_id
      JOIN compliance_adoption a ON a.id = x.adoption_id AND a.practice_id = x.practice_id
      LEFT JOIN compliance_framework f ON f.id = a.framework_id
      LEFT JOIN compliance_assessment b ON b.id = x.based_on_id AND b.practice_id = x.practice_id
      LEFT JOIN accounts_user u ON u.id = x.completed_by_id
      WHERE x.practice_id = %s AND x.client_id = %s AND x.id = %s"""
    tree = """SELECT r.id, r.parent_id, r.level, r."order", r.weight, r.ref, r.title, r.kind, r.required, r.assessable
      FROM compliance_requirement r WHERE r.framework_id = (SELECT a.framework_id FROM compliance_adoption a
        JOIN compliance_assessment x ON x.adoption_id = a.id AND x.practice_id = a.practice_id
        WHERE x.practice_id = %s AND x.id = %s) ORDER BY r."order\""""
    answers = """SELECT s.*, o.name AS owner, a.name AS answered_by, r.name AS reviewed_by,
        (SELECT count(*) FROM compliance_evidencelink e WHERE e.practice_id = s.practice_id AND e.response_id = s.id)
          AS evidence
      FROM compliance_response s LEFT JOIN accounts_user o ON o.id = s.owner_id
      LEFT JOIN accounts_user a ON a.id = s.answered_by_id LEFT JOIN accounts_user r ON r.id = s.reviewed_by_id
      WHERE s.practice_id = %s AND s.assessment_id = %s"""
    links = """SELECT l.*, i.title, i.status FROM compliance_initiativelink l
      JOIN roadmaps_initiative i ON i.id = l.initiative_id AND i.practice_id = l.practice_id
      WHERE l.practice_id = %s AND l.adoption_id = (SELECT adoption_id FROM compliance_assessment
        WHERE practice_id = %s AND id = %s) ORDER BY i.title, l.id"""
    sql = f"""SELECT json_build_object('assessment', {json_list(row)}, 'tree', {json_list(tree)},
      'answers', {json_list(answers)}, 'links', {json_list(links)}, 'owners', {json_list(members())})"""
    return sql, [t.pid, cid, pk, t.pid, pk, t.pid, pk, t.pid, t.pid, pk, t.pid]


def api_assessments_floor(t):
    """A page of 50 assessments, their own columns (the list joins nothing), and the count."""
    return (
        """SELECT x.*, (SELECT count(*) FROM compliance_assessment WHERE practice_id = %s) AS total
        FROM compliance_assessment x WHERE x.practice_id = %s ORDER BY x.started_on DESC, x.id LIMIT 50""",
        [t.pid, t.pid],
    )


def api_responses_floor(t):
    """A page of 50 answers with their item (a catalog requirement or the practice's own standard:
    its ref and title, read for the page's rows only), their evidence links, the initiatives linked to
    their adoptions, and the count."""
    item = """(SELECT {column} FROM compliance_requirement r WHERE r.id = s.requirement_id
      UNION ALL SELECT {column} FROM compliance_standard d WHERE d.practice_id = s.practice_id AND d.id = s.standard_id
      LIMIT 1)"""
    page = f"""SELECT s.*, {item.format(column="ref")} AS ref, {item.format(column="title")} AS title,
        a.id AS adoption FROM compliance_response s
      JOIN compliance_assessment x ON x.id = s.assessment_id AND x.practice_id = s.practice_id
      JOIN compliance_adoption a ON a.id = x.adoption_id AND a.practice_id = s.practice_id
      WHERE s.practice_id = %s ORDER BY x.started_on DESC, x.created_at DESC, s.created_at, s.id LIMIT 50"""
    evidence = f"""SELECT * FROM compliance_evidencelink WHERE practice_id = %s
      AND response_id IN (SELECT id FROM ({page}) p) ORDER BY created_at"""
    links = f"""SELECT * FROM compliance_initiativelink WHERE practice_id = %s
      AND adoption_id IN (SELECT adoption FROM ({page}) p) ORDER BY created_at"""
    sql = f"""SELECT json_build_object('responses', {json_list(page)}, 'evidence', {json_list(evidence)},
      'links', {json_list(links)}, 'total', (SELECT count(*) FROM compliance_response WHERE practice_id = %s))"""
    return sql, [t.pid] * 6


CASES = [
    Case(
        "Compliance tab",
        PAGE,
        lambda t: reverse("compliance:overview", args=[t.slug, t.client.pk]),
        tab_floor,
        client_page=True,
    ),
    Case(
        "Assessment",
        PAGE,
        lambda t: reverse("compliance:assessment", args=[t.slug, assessment(t).client_id, assessment(t).pk]),
        assessment_floor,
        client_page=True,
    ),
    Case(
        "API: assessments", LIST_ENDPOINT, lambda t: "/api/v1/assessments/", api_assessments_floor, api=True
    ),
    Case("API: responses", LIST_ENDPOINT, lambda t: "/api/v1/responses/", api_responses_floor, api=True),
]
