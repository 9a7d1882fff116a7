"""Every read of a tenant table by a portal page names the practice (as for the practice's pages,
tests/test_tenant_scoped_queries.py) — except the one read that finds it: the executive's own portal
access, by user and client (row-level security's `tenant_user_read`), and the chooser's names of the
executive's clients (inside the audited `all_practices` span)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.portal.conftest import fill_client, portal_url
from tests.test_tenant_scoped_queries import tenant_tables, unscoped

pytestmark = pytest.mark.django_db

PORTAL_ACCESS_BY_USER = re.compile(
    r'FROM "clients_portalaccess" .*WHERE \("clients_portalaccess"\."user_id" = '
)


def test_every_portal_page_reads_tenant_tables_by_practice(as_executive, client_a1, owner_a):
    made = fill_client(client_a1, owner_a)
    tables = tenant_tables()
    urls = [
        portal_url(name, client_a1)
        for name in ["dashboard", "roadmap", "budget", "compliance", "renewals", "meetings", "reports"]
    ] + [portal_url("meeting", client_a1, made["meeting"].pk)]
    problems = {}
    for url in urls:
        as_executive.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert as_executive.get(url).status_code == 200, url
        for query in ctx.captured_queries:
            if PORTAL_ACCESS_BY_USER.search(query["sql"]):
                continue
            if missing := unscoped(query["sql"], tables):
                problems.setdefault(url, []).append((missing, query["sql"][:300]))
    assert not problems, problems


def test_the_check_sees_an_unscoped_portal_read():
    sql = 'SELECT "qbr_meeting"."id" FROM "qbr_meeting" WHERE "qbr_meeting"."client_id" = 1'
    assert unscoped(sql, {"qbr_meeting"}) == ["qbr_meeting"]
