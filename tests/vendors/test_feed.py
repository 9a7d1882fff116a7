"""The renewals calendar feed: a secret, revocable, per-member link to an `.ics` that parses back with
the `icalendar` package and holds exactly the expected events."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from accounts.models import Membership
from tests.factories import ContractFactory, VendorFactory
from tests.vendors.conftest import due_in, url
from vendors import services
from vendors.models import CalendarFeed
from vendors.selectors import practice_today
from vendors.tokens import feed_token

pytestmark = pytest.mark.django_db


def feed_url(feed):
    return reverse("vendor_feeds:renewals", kwargs={"token": feed_token(feed)})


def events(response):
    cal = icalendar.Calendar.from_ical(response.content)
    return list(cal.walk("VEVENT"))


@pytest.fixture
def feed(practice_a, consultant_a):
    return services.calendar_feed_create(practice=practice_a, user=consultant_a, actor=consultant_a)


def test_the_feed_holds_exactly_the_notice_deadlines_renewals_and_ends(
    client, practice_a, client_a1, client_a2, feed, canary_client_b
):
    today = practice_today(practice_a)
    vendor = VendorFactory(practice=practice_a, name="Metro Fiber")
    renewing = ContractFactory(
        client=client_a1, vendor=vendor, name="Fiber", **due_in(practice_a, 50, notice=60)
    )
    ending = ContractFactory(
        client=client_a2, vendor=vendor, name="Copier lease", auto_renew=False, **due_in(practice_a, 100)
    )
    ContractFactory(
        client=client_a1, vendor=vendor, name="Cancelled", status="cancelled", **due_in(practice_a, 40)
    )
    ContractFactory(client=client_a1, vendor=vendor, name="Far", **due_in(practice_a, 400))  # beyond a year
    ContractFactory(client=client_a1, vendor=vendor, name="Monthly", term_months=1, renewal_term_months=1)
    ContractFactory(client=client_a1, vendor=vendor, name="Open", auto_renew=False, term_months=None)
    ContractFactory(
        client=canary_client_b, name="CANARY-Bravo-Contract", **due_in(canary_client_b.practice, 20)
    )

    response = client.get(feed_url(feed))  # no login

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"CANARY" not in response.content
    found = sorted((str(e["UID"]), e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events(response))
    assert found == sorted(
        [
            (
                f"{renewing.pk}-notice-{(today + timedelta(days=-10)):%Y%m%d}@vcio",
                today - timedelta(days=10),
                f"Give notice: Metro Fiber Fiber ({client_a1.name})",
            ),
            (
                f"{renewing.pk}-renewal-{(today + timedelta(days=50)):%Y%m%d}@vcio",
                today + timedelta(days=50),
                f"Renews: Metro Fiber Fiber ({client_a1.name})",
            ),
            (
                f"{ending.pk}-expiry-{(today + timedelta(days=100)):%Y%m%d}@vcio",
                today + timedelta(days=100),
                f"Ends: Metro Fiber Copier lease ({client_a2.name})",
            ),
        ]
    )
    notice = next(e for e in events(response) if "notice" in str(e["UID"]))
    assert notice.decoded("DTEND") == notice.decoded("DTSTART") + timedelta(days=1)  # an all-day event
    assert len(notice.walk("VALARM")) == 2
    assert "give notice by" in str(notice["DESCRIPTION"])
    assert f"/clients/{client_a1.pk}/vendors/contracts/{renewing.pk}/" in str(notice["URL"])


def test_a_revoked_link_is_a_404_and_the_new_one_works(
    client, as_consultant_a, practice_a, consultant_a, feed
):
    old = feed_url(feed)
    assert client.get(old).status_code == 200

    response = as_consultant_a.post(url("feed_reset"))

    assert response.status_code == 302
    assert client.get(old).status_code == 404
    new = CalendarFeed.objects.get(revoked_at__isnull=True)
    assert client.get(feed_url(new)).status_code == 200


def test_made_up_malformed_and_left_members_links_are_404(client, practice_a, consultant_a, feed):
    assert client.get(reverse("vendor_feeds:renewals", kwargs={"token": "0" * 64})).status_code == 404
    assert client.get(reverse("vendor_feeds:renewals", kwargs={"token": "not-hex"})).status_code == 404
    assert (
        client.get(f"/feeds/renewals/{feed.token_hash}.ics").status_code == 404
    )  # the stored hash is no key
    Membership.objects.filter(practice=practice_a, user=consultant_a).delete()
    assert client.get(feed_url(feed)).status_code == 404


def test_the_page_shows_the_link_with_copy_and_reset(as_consultant_a, practice_a, consultant_a):
    page = as_consultant_a.get(url("renewals")).content.decode()
    assert "Get my calendar link" in page and ".ics" not in page

    assert as_consultant_a.post(url("feed_create")).status_code == 302

    feed = CalendarFeed.objects.get(user=consultant_a)
    page = as_consultant_a.get(url("renewals")).content.decode()
    assert f"http://testserver{feed_url(feed)}" in page
    assert 'data-copy-target="feed-url"' in page and "Reset link" in page
    # asking again keeps the same link
    as_consultant_a.post(url("feed_create"))
    assert CalendarFeed.objects.filter(user=consultant_a).count() == 1


def test_a_viewer_cannot_make_a_link(as_viewer_a, viewer_a):
    assert "Get my calendar link" not in as_viewer_a.get(url("renewals")).content.decode()
    assert as_viewer_a.post(url("feed_create")).status_code == 403
    assert as_viewer_a.post(url("feed_reset")).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_another_practice_member_cannot_make_or_reset_links_here(as_owner_b, owner_a, practice_a):
    mine = services.calendar_feed_create(practice=practice_a, user=owner_a, actor=owner_a)
    assert as_owner_b.post(url("feed_create")).status_code == 404
    assert as_owner_b.post(url("feed_reset")).status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None and CalendarFeed.objects.count() == 1


def test_reset_only_touches_ones_own_link(as_consultant_a, practice_a, owner_a, consultant_a):
    owners = services.calendar_feed_create(practice=practice_a, user=owner_a, actor=owner_a)
    as_consultant_a.post(url("feed_reset"))
    owners.refresh_from_db()
    assert owners.revoked_at is None


def test_feed_queries_do_not_grow(client, practice_a, client_a1, feed, django_assert_num_queries):
    vendor = VendorFactory(practice=practice_a)
    for n in range(3):
        ContractFactory(client=client_a1, vendor=vendor, **due_in(practice_a, 20 + n))
    with django_assert_num_queries(10, exact=False) as small:
        assert client.get(feed_url(feed)).status_code == 200
    for n in range(40):
        ContractFactory(client=client_a1, vendor=vendor, **due_in(practice_a, 20 + n))
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(feed_url(feed)).status_code == 200
