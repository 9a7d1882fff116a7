"""Shared fixtures of the qbr tests: meetings planned through the services, a spy on the report
task (to prove nothing was queued), and a world with an A1 meeting, an A2 meeting and B's canaries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qbr import services
from qbr.models import MeetingKind
from tests.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, QBRReportFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, client, *args, practice="alpha"):
    return reverse(f"qbr:{name}", args=[practice, client.pk, *args])


def plan(client, actor, days=14, **extra):
    """A QBR planned through the service, `days` ahead at 10:00 UTC."""
    when = (timezone.now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    extra.setdefault("kind", MeetingKind.QBR)
    return services.meeting_create(client=client, actor=actor, scheduled_at=when, **extra)


@pytest.fixture
def queued(monkeypatch):
    """Every report task queued (`delay`), recorded instead of run: a list of kwargs."""
    from qbr.tasks import qbr_report_generate_task

    calls = []
    monkeypatch.setattr(qbr_report_generate_task, "delay", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def world(client_a1, client_a2, canary_client_b):
    """A1's meeting with an agenda item, an action item and a report; A2's; B's canaries."""
    a1 = MeetingFactory(client=client_a1, title="Alpha QBR")
    a2 = MeetingFactory(client=client_a2, title="A2-only meeting")
    b = MeetingFactory(client=canary_client_b, title="CANARY-Bravo-Meeting")
    return {
        "a1_meeting": a1,
        "a1_agenda": AgendaItemFactory(meeting=a1, title="Alpha agenda"),
        "a1_action": ActionItemFactory(meeting=a1, description="Alpha action"),
        "a1_report": QBRReportFactory(client=client_a1, ready=True),
        "a2_meeting": a2,
        "a2_agenda": AgendaItemFactory(meeting=a2, title="A2-only agenda"),
        "a2_action": ActionItemFactory(meeting=a2, description="A2-only action"),
        "a2_report": QBRReportFactory(client=client_a2, ready=True),
        "b_meeting": b,
        "b_agenda": AgendaItemFactory(meeting=b, title="CANARY-Bravo-Agenda"),
        "b_action": ActionItemFactory(meeting=b, description="CANARY-Bravo-Action"),
        "b_report": QBRReportFactory(client=canary_client_b, ready=True),
    }
