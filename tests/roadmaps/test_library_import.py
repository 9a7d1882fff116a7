"""Importing the initiative library from CSV: checked in full first, row and column named for every
problem, then imported all or nothing; the export reads back in."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.library_csv import HEADER, parse
from roadmaps.models import InitiativeTemplate
from tests.factories import InitiativeTemplateFactory

IMPORT = reverse("roadmaps:library_import", args=["alpha"])
LIBRARY = reverse("roadmaps:library", args=["alpha"])


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def upload(http, content: bytes, name="library.csv"):
    return http.post(IMPORT, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def payload_of(response) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "no confirm form"
    return match.group(1)


GOOD = [
    [
        "Roll out MFA",
        "Security",
        "Critical",
        "2,500.00",
        "0",
        "24",
        "Security, Insurance",
        "MFA.",
        "Fewer takeovers.",
        "Fraud.",
    ],
    ["Microsoft 365 backup", "data & backup", "high", "$500", "150", "", "backup", "", "", ""],
    ["Laptop refresh", "End-user devices", "", "35000", "", "80", "", "Four-year cycle.", "", ""],
]


def test_a_good_file_is_previewed_then_imported_completely(as_consultant_a, consultant_a, practice_a):
    response = upload(as_consultant_a, csv_bytes(GOOD, bom=True))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ready to import 3 rows" in body and "3 new templates" in body
    assert not InitiativeTemplate.objects.exists()  # the preview writes nothing

    response = as_consultant_a.post(IMPORT, {"payload": payload_of(response)})

    assert response.status_code == 302 and response["Location"] == LIBRARY
    templates = {t.title: t for t in InitiativeTemplate.objects.for_practice(practice_a)}
    assert set(templates) == {"Roll out MFA", "Microsoft 365 backup", "Laptop refresh"}
    mfa = templates["Roll out MFA"]
    assert (mfa.category, mfa.priority, mfa.one_time_cost, mfa.effort_hours, mfa.tags) == (
        "security",
        "critical",
        Decimal("2500.00"),
        24,
        "security, insurance",
    )
    backup = templates["Microsoft 365 backup"]
    assert (backup.category, backup.priority, backup.one_time_cost, backup.effort_hours) == (
        "data_backup",
        "high",
        Decimal("500.00"),
        None,
    )
    assert templates["Laptop refresh"].priority == "medium"  # empty: the default
    assert all(t.history.get().history_user == consultant_a for t in templates.values())
    assert "Imported 3 new templates." in as_consultant_a.get(LIBRARY).content.decode()


def test_a_bad_row_writes_nothing_and_names_the_row_and_column(as_consultant_a):
    rows = [
        GOOD[0],
        ["Wi-Fi 6", "Wireless", "High", "9000", "60", "30", "", "", "", ""],  # row 3: unknown category
        ["Firewalls", "Network", "High", "lots", "-5", "1.5", "", "", "", ""],  # row 4: three bad cells
        GOOD[0],  # row 5: the same title as row 2
    ]
    response = upload(as_consultant_a, csv_bytes(rows))
    body = response.content.decode()

    assert response.status_code == 400
    assert "Nothing was imported" in body
    assert "Row 3, Category: “Wireless” is not a category" in body
    assert "Row 4, Typical one-time cost: Write an amount like 1200 or 1,200.50." in body
    assert "Row 4, Typical monthly cost: An amount cannot be negative." in body
    assert "Row 4, Effort (hours): Write a whole number of hours, like 40." in body
    assert "Row 5, Title: The same title is on row 2." in body
    assert 'name="payload"' not in body  # no way to import it
    assert not InitiativeTemplate.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\n\n", "The file is empty."),
        (b"Name,Cost\nMFA,1\n", "The file has no “Title” column."),
        (",".join(HEADER).encode() + b"\n", "The file has a header but no rows."),
        (b"Title,title\nA,B\n", "The column “Title” appears twice."),
    ],
)
def test_a_file_that_is_not_a_library_is_refused(as_consultant_a, content, message):
    response = upload(as_consultant_a, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InitiativeTemplate.objects.exists()


def test_a_missing_title_or_an_overlong_cell_is_a_row_error(practice_a):
    preview = parse(
        csv_bytes([["", "Security"], ["Long", "Security", "", "", "", "", "", "x" * 20_001]]),
        practice=practice_a,
    )
    assert not preview.valid
    assert preview.row_errors == [
        "Row 2, Title: This field cannot be blank.",
        "Row 3, Description: Keep it under 20,000 characters.",
    ]


def test_titles_already_in_the_library_are_updated_and_the_export_reads_back(as_consultant_a, practice_a):
    existing = InitiativeTemplateFactory(practice=practice_a, title="Roll out MFA", priority="low")
    other = InitiativeTemplateFactory(practice=practice_a, title="Keep me", description="Untouched")
    exported = b"".join(as_consultant_a.get(LIBRARY + "?format=csv").streaming_content)

    response = upload(
        as_consultant_a, csv_bytes([["roll out mfa", "Security", "Critical", "100"]], header=HEADER[:4])
    )
    assert "1 update of templates already in the library" in response.content.decode()
    as_consultant_a.post(IMPORT, {"payload": payload_of(response)})
    existing.refresh_from_db()
    assert (existing.priority, existing.one_time_cost) == ("critical", Decimal("100.00"))
    assert existing.description == "A recommendation for every client."  # a column not in the file stays
    assert InitiativeTemplate.objects.count() == 2

    # the export of this practice imports as-is: every row updates its template, nothing changes
    response = upload(as_consultant_a, exported)
    assert response.status_code == 200, response.content.decode()
    as_consultant_a.post(IMPORT, {"payload": payload_of(response)})
    other.refresh_from_db()
    assert other.description == "Untouched" and InitiativeTemplate.objects.count() == 2


def test_semicolons_and_windows_1252_files_from_excel_are_read(practice_a):
    content = csv_bytes([["Café Wi-Fi", "Network", "Medium", "1.200,50"]], header=HEADER[:4], delimiter=";")
    preview = parse(content.decode().encode("cp1252"), practice=practice_a)
    assert preview.valid, preview.row_errors
    # a semicolon-separated file writes the decimal mark as a comma
    assert preview.rows[0].data["title"] == "Café Wi-Fi"
    assert preview.rows[0].data["one_time_cost"] == Decimal("1200.50")


def test_the_confirmation_cannot_be_forged_or_replayed_elsewhere(
    as_consultant_a, as_owner_b, practice_a, practice_b, owner_b
):
    response = upload(as_consultant_a, csv_bytes(GOOD))
    payload = payload_of(response)
    response = as_consultant_a.post(IMPORT, {"payload": payload[:-4] + "AAAA"})
    assert response.status_code == 302 and response["Location"] == IMPORT
    other_practice = reverse("roadmaps:library_import", args=["bravo"])
    assert as_owner_b.post(other_practice, {"payload": payload}).status_code == 302
    assert not InitiativeTemplate.objects.exists()


def test_the_file_is_checked_again_when_imported(as_consultant_a, practice_a):
    response = upload(as_consultant_a, csv_bytes([GOOD[0]]))
    payload = payload_of(response)
    # meanwhile a colleague adds a template with the same title: the import updates it, no duplicate
    InitiativeTemplateFactory(practice=practice_a, title="Roll out MFA")
    response = as_consultant_a.post(IMPORT, {"payload": payload})
    assert response.status_code == 302  # it updates the colleague's template instead of duplicating it
    assert InitiativeTemplate.objects.count() == 1


def test_importing_is_for_editors(as_viewer_a, practice_a):
    assert as_viewer_a.get(IMPORT).status_code == 403
    assert upload(as_viewer_a, csv_bytes(GOOD)).status_code == 403
    assert as_viewer_a.post(IMPORT, {"payload": "x"}).status_code == 403
    assert not InitiativeTemplate.objects.exists()


def test_the_sample_file_imports_cleanly(as_consultant_a, practice_a):
    sample = as_consultant_a.get(reverse("roadmaps:library_sample", args=["alpha"]))
    assert sample.status_code == 200
    assert sample["Content-Disposition"] == 'attachment; filename="initiative-library-sample.csv"'
    preview = parse(sample.content, practice=practice_a)
    assert preview.valid and len(preview.rows) == 2
