"""CSV import of contracts: the template, the preview with row-level errors, and all-or-nothing writes."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ClientFactory, VendorFactory
from tests.vendors.conftest import url
from vendors import imports
from vendors.import_views import SESSION_KEY
from vendors.models import Contract

pytestmark = pytest.mark.django_db

HEADER = [
    "vendor",
    "name",
    "type",
    "start_date",
    "term_months",
    "auto_renew",
    "notice_days",
    "billing_frequency",
    "cost",
    "quantity",
]


def good_row(n):
    return [
        "Metro Fiber",
        f"Circuit {n}",
        "service",
        "2026-01-31",
        "12",
        "yes",
        "60",
        "monthly",
        "389.00",
        "1",
    ]


def csv_file(rows, header=HEADER, name="contracts.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


@pytest.fixture
def vendor(practice_a):
    return VendorFactory(practice=practice_a, name="Metro Fiber")


def upload(http, client, rows, **kw):
    return http.post(url("client_import", client.pk), {"file": csv_file(rows, **kw)})


def confirm(http, client, response):
    return http.post(url("client_import_confirm", client.pk), {"upload": response.context["upload_token"]})


def test_a_good_file_previews_every_row_then_writes_them_all(as_consultant_a, client_a1, vendor):
    rows = [good_row(n) for n in range(100)]

    response = upload(as_consultant_a, client_a1, rows)

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.ok and len(preview.rows) == 100 and not preview.errors
    assert not Contract.objects.exists()  # the preview writes nothing
    assert "100 contracts ready to import" in response.content.decode()

    done = confirm(as_consultant_a, client_a1, response)

    assert done.status_code == 302
    contracts = Contract.objects.for_client(client_a1)
    assert contracts.count() == 100
    first = contracts.get(name="Circuit 0")
    assert (first.vendor, first.notice_days, str(first.cost), first.practice_id) == (
        vendor,
        60,
        "389.00",
        client_a1.practice_id,
    )
    assert first.history.first().history_user.email == "consultant@alpha.example.com"
    # the stashed upload is gone: confirming twice imports nothing more
    assert confirm(as_consultant_a, client_a1, response).status_code == 302
    assert contracts.count() == 100


def test_one_bad_row_among_a_hundred_writes_nothing_and_names_the_row_and_column(
    as_consultant_a, client_a1, vendor
):
    rows = [good_row(n) for n in range(100)]
    rows[56][3] = "31/02/2026"  # file row 58 (the header is row 1)

    response = upload(as_consultant_a, client_a1, rows)

    preview = response.context["preview"]
    assert not preview.ok
    assert [(e.row, e.column) for e in preview.errors] == [(58, "start_date")]
    assert "YYYY-MM-DD" in preview.errors[0].message
    assert response.context["upload_token"] == ""
    assert not Contract.objects.exists()
    page = response.content.decode()
    assert "Nothing was imported" in page and "<td>58</td><td>start_date</td>" in page
    # a confirm without a valid stashed upload imports nothing
    assert (
        as_consultant_a.post(url("client_import_confirm", client_a1.pk), {"upload": "forged"}).status_code
        == 302
    )
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("vendor", "Unknown Telecom", "No vendor called “Unknown Telecom”"),
        ("cost", "12,34.5x", "Write an amount like 1234.50"),
        ("cost", "-5", "Write an amount"),
        ("cost", "1.234", "no more than two decimals"),
        ("quantity", "0", "from 1 to"),
        ("term_months", "twelve", "whole number"),
        ("auto_renew", "maybe", "yes or no"),
        ("billing_frequency", "weekly", "Choose a billing frequency"),
        ("type", "rental", "Choose a type"),
        ("start_date", "", "required"),
        ("name", "", "This field cannot be blank"),
        ("notice_days", "9999", "from 0 to 730"),
    ],
)
def test_bad_cells_are_reported_by_row_and_column(practice_a, client_a1, vendor, column, value, message):
    row = dict(zip(HEADER, good_row(1), strict=True))
    row[column] = value
    text = ",".join(HEADER) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n"

    preview = imports.parse(text, practice=practice_a, client=client_a1)

    assert not preview.ok
    assert [(e.row, e.column) for e in preview.errors] == [(2, column)]
    assert message in preview.errors[0].message


def test_model_rules_come_back_as_row_errors(practice_a, client_a1, vendor):
    header = [*HEADER, "end_date"]
    text = ",".join(header) + "\n" + ",".join([*good_row(1), "2025-01-01"]) + "\n"
    preview = imports.parse(text, practice=practice_a, client=client_a1)
    # an end date before the start, and both an end date and a term
    assert {(e.row, e.column) for e in preview.errors} == {(2, "end_date"), (2, "term_months")}


def test_file_level_problems(practice_a, client_a1, vendor):
    assert (
        imports.parse("", practice=practice_a, client=client_a1)
        .errors[0]
        .message.startswith("The file is empty")
    )
    only_header = imports.parse(",".join(HEADER) + "\n", practice=practice_a, client=client_a1)
    assert only_header.errors[0].message == "The file has no contract rows."
    missing = imports.parse("vendor,name\nMetro Fiber,x\n", practice=practice_a, client=client_a1)
    assert {e.column for e in missing.errors} == {"start_date", "cost"}
    unknown = imports.parse(",".join([*HEADER, "colour"]) + "\n", practice=practice_a, client=client_a1)
    assert [(e.row, e.column) for e in unknown.errors] == [(1, "colour")]


def test_a_non_utf8_or_oversized_upload_is_a_field_error(as_consultant_a, client_a1, vendor):
    bad = SimpleUploadedFile("x.csv", "vendor,name\nCafé,x\n".encode("utf-16"), content_type="text/csv")
    response = as_consultant_a.post(url("client_import", client_a1.pk), {"file": bad})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    big = SimpleUploadedFile("x.csv", b"a" * (imports.MAX_BYTES + 10), content_type="text/csv")
    response = as_consultant_a.post(url("client_import", client_a1.pk), {"file": big})
    assert response.status_code == 400 and "larger than" in response.content.decode()
    response = as_consultant_a.post(url("client_import", client_a1.pk), {})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Contract.objects.exists()


def test_practice_import_names_each_rows_client(
    as_owner_a, practice_a, client_a1, client_a2, vendor, canary_client_b
):
    ClientFactory(practice=practice_a, name="Twin Co")
    ClientFactory(practice=practice_a, name="Twin Co")
    header = ["client", *HEADER]
    rows = [
        [client_a1.name, *good_row(1)],
        [client_a2.name.upper(), *good_row(2)],
        [canary_client_b.name, *good_row(3)],  # another practice's client does not exist here
        ["Twin Co", *good_row(4)],
    ]
    response = as_owner_a.post(url("import"), {"file": csv_file(rows, header=header)})
    errors = {(e.row, e.column): e.message for e in response.context["preview"].errors}
    assert set(errors) == {(4, "client"), (5, "client")}
    assert "No client called" in errors[(4, "client")] and "Several clients" in errors[(5, "client")]
    assert "CANARY" not in errors[(4, "client")].replace(canary_client_b.name, "")

    response = as_owner_a.post(url("import"), {"file": csv_file(rows[:2], header=header)})
    assert response.context["preview"].ok
    as_owner_a.post(url("import_confirm"), {"upload": response.context["upload_token"]})
    assert (
        Contract.objects.for_client(client_a1).count() == 1
        and Contract.objects.for_client(client_a2).count() == 1
    )


def test_confirm_validates_again_and_writes_nothing_when_the_directory_changed(
    as_consultant_a, client_a1, vendor
):
    response = upload(as_consultant_a, client_a1, [good_row(n) for n in range(3)])
    vendor.name = "Renamed Fiber"
    vendor.save()

    again = confirm(as_consultant_a, client_a1, response)

    assert again.status_code == 400
    assert {e.column for e in again.context["preview"].errors} == {"vendor"}
    assert not Contract.objects.exists()


def test_the_stash_is_per_client_and_capped(as_consultant_a, client_a1, client_a2, vendor):
    response = upload(as_consultant_a, client_a1, [good_row(1)])
    token = response.context["upload_token"]
    # the token of client A1's upload does not confirm an import for A2
    assert (
        as_consultant_a.post(url("client_import_confirm", client_a2.pk), {"upload": token}).status_code == 302
    )
    assert not Contract.objects.exists()
    stash = as_consultant_a.session[SESSION_KEY]
    assert len(stash) == 1 and all(len(v["text"]) <= imports.MAX_BYTES for v in stash.values())


def test_template_download_has_the_columns(as_viewer_a, client_a1):
    response = as_viewer_a.get(url("client_import_template", client_a1.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[0] == "vendor" and "client" not in header and len(example) == len(header)
    practice_header = next(
        csv.reader(io.StringIO(as_viewer_a.get(url("import_template")).content.decode("utf-8-sig")))
    )
    assert practice_header[0] == "client"


def test_the_template_example_parses_once_its_vendor_and_client_exist(practice_a, owner_a):
    VendorFactory(practice=practice_a, name="Contoso Cloud Solutions")
    client = ClientFactory(practice=practice_a, name="Harbor Family Dental")
    header, example = imports.template_rows(False)
    text = ",".join(header) + "\n" + ",".join(f'"{v}"' for v in example) + "\n"
    preview = imports.parse(text, practice=practice_a)
    assert preview.ok, preview.errors
    assert preview.rows[0].client == client


def test_viewers_may_not_import(as_viewer_a, client_a1, vendor):
    assert as_viewer_a.get(url("client_import", client_a1.pk)).status_code == 403
    assert upload(as_viewer_a, client_a1, [good_row(1)]).status_code == 403
    assert as_viewer_a.post(url("client_import_confirm", client_a1.pk), {"upload": "x"}).status_code == 403
    assert as_viewer_a.get(url("import")).status_code == 403
    assert not Contract.objects.exists()
