"""Importing actual spend from CSV: column mapping, a preview with row-level errors (row, column,
message), nothing written unless every row is valid, the upload kept server-side between the steps
and validated again on confirmation."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import imports
from budgets.models import Actual
from tests.factories import VendorFactory

from .conftest import url

pytestmark = pytest.mark.django_db


def upload(http, client, text, name="spend.csv"):
    return http.post(
        url("actual_import", client.pk), {"file": SimpleUploadedFile(name, text.encode("utf-8"))}
    )


def mapping(**columns):
    """map_<field> -> column index (as the form posts it)."""
    return {f"map_{k}": str(v) for k, v in columns.items()}


GOOD = (
    "Posted,Memo,Total,Budget category,Supplier\n"
    '2026-08-03,Azure August,"$1,234.50",cloud,Contoso Cloud\n'
    "2026-09-01,Laptop,899.00,Hardware,\n"
    "2026-09-15,Refund,(25.00),Software & SaaS,contoso cloud\n"
)


def test_a_good_file_is_previewed_with_guessed_columns_then_imported(as_consultant_a, client_a1, practice_a):
    vendor = VendorFactory(practice=practice_a, name="Contoso Cloud")
    page = upload(as_consultant_a, client_a1, GOOD)
    assert page.status_code == 200
    preview = page.context["preview"]
    assert preview.ok and len(preview.rows) == 3 and not Actual.objects.exists()
    form = page.context["mapping_form"]
    assert (
        form["map_date"].value() == "0"
        and form["map_amount"].value() == "2"
        and form["map_vendor"].value() == "4"
    )

    data = {
        "upload": page.context["token"],
        "date_format": "iso",
        **mapping(date=0, description=1, amount=2, category=3, vendor=4),
    }
    done = as_consultant_a.post(url("actual_import_confirm", client_a1.pk), data)

    assert done.status_code == 302
    rows = {a.description: a for a in Actual.objects.filter(client=client_a1)}
    assert rows["Azure August"].amount == Decimal("1234.50") and rows["Azure August"].vendor == vendor
    assert rows["Refund"].amount == Decimal("-25.00") and rows["Refund"].category == "software"
    assert rows["Laptop"].vendor is None and all(a.source == "import" for a in rows.values())
    assert as_consultant_a.post(url("actual_import_confirm", client_a1.pk), data).status_code == 302
    assert Actual.objects.count() == 3  # the upload is gone after the import: nothing twice


def test_a_bad_file_writes_nothing_and_names_each_row_and_column(as_consultant_a, client_a1):
    text = (
        "date,amount,category,vendor,description\n"
        "2026-08-03,120.00,cloud,,fine\n"
        "31/02/2026,120.00,cloud,,a wrong date\n"
        "2026-08-05,twelve,cloud,,a text amount\n"
        "2026-08-06,12.00,yachts,,an unknown category\n"
        "2026-08-07,12.00,cloud,Nobody Inc,an unknown vendor\n"
    )
    page = upload(as_consultant_a, client_a1, text)
    preview = page.context["preview"]
    assert not preview.ok and page.status_code == 200
    found = {(e.row, e.column) for e in preview.errors}
    assert found == {(3, "date"), (4, "amount"), (5, "category"), (6, "vendor")}
    body = page.content.decode()
    assert "Nothing was imported" in body and "twelve" in body and "yachts" in body

    data = {
        "upload": page.context["token"],
        "date_format": "iso",
        **mapping(date=0, amount=1, category=2, vendor=3, description=4),
    }
    refused = as_consultant_a.post(url("actual_import_confirm", client_a1.pk), data)
    assert refused.status_code == 400 and not Actual.objects.exists()


def test_the_column_mapping_and_date_format_are_the_users_choice(as_consultant_a, client_a1):
    text = "When,What,How much,Kind\n03/31/2026,Cables,10.00,hardware\n"
    page = upload(as_consultant_a, client_a1, text)
    assert not page.context["preview"].ok  # nothing could be guessed
    token = page.context["token"]
    wrong = as_consultant_a.post(
        url("actual_import_preview", client_a1.pk),
        {"upload": token, "date_format": "eu", **mapping(date=0, description=1, amount=2, category=3)},
    )
    assert wrong.status_code == 400 and [(e.row, e.column) for e in wrong.context["preview"].errors] == [
        (2, "When")
    ]
    right = {"upload": token, "date_format": "us", **mapping(date=0, description=1, amount=2, category=3)}
    assert as_consultant_a.post(url("actual_import_preview", client_a1.pk), right).context["preview"].ok
    assert as_consultant_a.post(url("actual_import_confirm", client_a1.pk), right).status_code == 302
    assert Actual.objects.get().date.isoformat() == "2026-03-31"


def test_confirming_validates_again(as_consultant_a, client_a1, practice_a):
    vendor = VendorFactory(practice=practice_a, name="Contoso Cloud")
    page = upload(as_consultant_a, client_a1, GOOD)
    assert page.context["preview"].ok
    vendor.delete()  # gone between the preview and the confirmation
    data = {
        "upload": page.context["token"],
        "date_format": "iso",
        **mapping(date=0, description=1, amount=2, category=3, vendor=4),
    }
    response = as_consultant_a.post(url("actual_import_confirm", client_a1.pk), data)
    assert response.status_code == 400 and not Actual.objects.exists()
    assert {e.column for e in response.context["preview"].errors} == {"Supplier"}


def test_an_upload_belongs_to_its_client_and_expires(as_consultant_a, client_a1, client_a2):
    page = upload(
        as_consultant_a, client_a1, GOOD.replace(",Contoso Cloud", ",").replace(",contoso cloud", ",")
    )
    data = {
        "upload": page.context["token"],
        "date_format": "iso",
        **mapping(date=0, description=1, amount=2, category=3),
    }
    other = as_consultant_a.post(url("actual_import_confirm", client_a2.pk), data)
    assert other.status_code == 302 and other["Location"] == url("actual_import", client_a2.pk)
    forged = as_consultant_a.post(url("actual_import_confirm", client_a1.pk), {**data, "upload": "0" * 32})
    assert forged.status_code == 302 and not Actual.objects.exists()


def test_files_that_are_not_csv_text_or_too_large_are_refused(as_consultant_a, client_a1):
    latin = as_consultant_a.post(
        url("actual_import", client_a1.pk), {"file": SimpleUploadedFile("x.csv", "Café".encode("latin-1"))}
    )
    assert latin.status_code == 400 and b"UTF-8" in latin.content
    big = SimpleUploadedFile(
        "big.csv", b"date,amount,category\n" + b"2026-01-01,1,cloud\n" * (imports.MAX_BYTES // 18)
    )
    assert as_consultant_a.post(url("actual_import", client_a1.pk), {"file": big}).status_code == 400
    empty = as_consultant_a.post(
        url("actual_import", client_a1.pk), {"file": SimpleUploadedFile("e.csv", b"")}
    )
    assert empty.status_code == 400
    assert not Actual.objects.exists()


def test_too_many_rows_and_a_missing_column_are_file_level_errors(client_a1):
    many = "date,amount,category\n" + "2026-01-01,1,cloud\n" * (imports.MAX_ROWS + 1)
    preview = imports.parse(many, client=client_a1, mapping={"date": 0, "amount": 1, "category": 2})
    assert not preview.ok and "More than" in preview.errors[0].message
    missing = imports.parse("date,amount\n2026-01-01,1\n", client=client_a1, mapping={"date": 0, "amount": 1})
    assert [(e.row, e.column) for e in missing.errors] == [(1, "Category")]
    twice = imports.parse(
        "date,amount\n2026-01-01,1\n", client=client_a1, mapping={"date": 0, "amount": 1, "category": 1}
    )
    assert not twice.ok


def test_the_template_has_a_bom_and_the_columns(as_viewer_a, client_a1):
    response = as_viewer_a.get(url("actual_import_template", client_a1.pk))
    assert response.content.decode().startswith("\ufeffdate,amount,category,vendor,description")
