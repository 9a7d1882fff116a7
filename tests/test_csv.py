"""CSV exports: formulas are neutralised, ordinary values are not mangled, Excel reads UTF-8."""

import csv
import io

import pytest
from django.urls import reverse

from vcio.listing import safe_cell

from .factories import ContactFactory

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "files start with a UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_contacts_phone_number_reads_back_unchanged_and_a_formula_is_neutralised(
    as_owner_a, practice_a, client_a1
):
    ContactFactory(client=client_a1, name="Zoë Ångström", phone="+1 555 0110", title='=HYPERLINK("http://x")')
    ContactFactory(client=client_a1, name="سارة", phone="-", title="@SUM(A1)")
    response = as_owner_a.get(reverse("clients:contacts", args=["alpha", client_a1.pk]) + "?format=csv")
    rows = read_csv(response)
    assert rows[0][:4] == ["Name", "Title", "E-mail", "Phone"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Zoë Ångström"][3] == "+1 555 0110"
    assert by_name["Zoë Ångström"][1] == '\'=HYPERLINK("http://x")'
    assert by_name["سارة"][1] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+1 555 0110", "+1 555 0110"),
        ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("-1200.50", "-1200.50"),
        ("Acme", "Acme"),
        ("=1+2", "'=1+2"),
        ("+SUM(A1:A3)", "'+SUM(A1:A3)"),
        ("-2+cmd|' /C calc'!A0", "'-2+cmd|' /C calc'!A0"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        (None, ""),
    ],
)
def test_the_formula_guard(value, expected):
    assert safe_cell(value) == expected
